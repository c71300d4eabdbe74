using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Sms.Blocks;
using Sms.Files.Manifest;
using Sms.Files.Native;
using Sms.Files.Wire;
using Sms.Protocol;

namespace Sms.Files.Source;

/// <summary>
/// Verification after a pass: the source sends what every entry is (kind, mode, owner, size, modification time and,
/// for a full check, the content hash it computes again from its own files), the receiver compares with what its tree
/// holds (hashing its files too) and answers with the differences: inconsistent, missing and redundant entries.
/// </summary>
internal sealed class SourceVerifier
{
    public const byte Inconsistent = 1;
    public const byte Missing = 2;
    public const byte Redundant = 3;

    private const int PageBytes = 1 << 20;
    private readonly PassContext _context;
    private readonly FrameSender _sender;
    private readonly FileManifest _manifest;

    public SourceVerifier(PassContext context, FrameSender sender, FileManifest manifest)
    {
        _context = context;
        _sender = sender;
        _manifest = manifest;
    }

    public async Task<FileVerificationReport> RunAsync(FileVerifyMode mode, CancellationToken cancellationToken)
    {
        var entries = new List<FileEntry>(_manifest.Entries.Values);
        entries.Sort(static (a, b) => string.CompareOrdinal(a.Path, b.Path));
        if (mode == FileVerifyMode.Full)
        {
            await RehashAsync(entries, cancellationToken).ConfigureAwait(false);
        }

        var page = new RecordBuffer(PageBytes + FileWire.RecordOverhead);
        var index = 0L;
        page.WriteByte((byte)mode);
        foreach (var entry in entries)
        {
            if (page.Length >= PageBytes)
            {
                await _sender.SendControlAsync(FrameType.FileVerify, index++, 0, page.Data.AsMemory(0, page.Length), cancellationToken).ConfigureAwait(false);
                page.Reset();
                page.WriteByte((byte)mode);
            }

            page.WriteByte((byte)entry.Kind);
            page.WriteString(entry.Path);
            page.WriteUInt32(entry.Permissions);
            page.WriteUInt32(entry.Uid);
            page.WriteUInt32(entry.Gid);
            page.WriteInt64(entry.Kind is FileKind.CharacterDevice or FileKind.BlockDevice ? (long)entry.Rdev : entry.Size);
            page.WriteInt64(entry.Modify.Seconds);
            page.WriteUInt32(entry.Modify.Nanoseconds);
            page.WriteUInt128(mode == FileVerifyMode.Full && entry.Kind is FileKind.Regular or FileKind.Symlink ? entry.Hash : UInt128.Zero);
        }

        await _sender.SendControlAsync(FrameType.FileVerify, index, FileWire.LastPage, page.Data.AsMemory(0, page.Length), cancellationToken).ConfigureAwait(false);

        var inconsistent = new List<string>();
        var missing = new List<string>();
        var redundant = new List<string>();
        while (true)
        {
            var result = await _sender.ReadVerifyPageAsync(cancellationToken).ConfigureAwait(false);
            var at = 1;
            while (at < result.Length)
            {
                if (at + 3 > result.Length)
                {
                    throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, "A verify result page is cut short.");
                }

                var status = result[at];
                var length = BinaryPrimitives.ReadUInt16BigEndian(result.AsSpan(at + 1));
                if (at + 3 + length > result.Length)
                {
                    throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, "A verify result page is cut short.");
                }

                var path = RawPath.FromBytes(result.AsSpan(at + 3, length));
                at += 3 + length;
                switch (status)
                {
                    case Inconsistent:
                        inconsistent.Add(path);
                        break;
                    case Missing:
                        missing.Add(path);
                        break;
                    case Redundant when !_context.Exclusions.IsExcludedOrUnder(path, isDirectory: false):
                        redundant.Add(path);
                        break;
                }
            }

            if (result[0] == FileWire.LastPage)
            {
                break;
            }
        }

        return new FileVerificationReport
        {
            Mode = mode,
            EntriesChecked = entries.Count,
            Inconsistent = inconsistent,
            MissingAtTarget = missing,
            RedundantAtTarget = redundant,
        };
    }

    /// <summary>
    /// Makes the next pass repair what verification found: inconsistent and missing entries are forgotten (so they are
    /// sent again), redundant ones recorded as unknown (so they are deleted).
    /// </summary>
    public void ForgetDifferences(FileVerificationReport report)
    {
        foreach (var path in report.Inconsistent)
        {
            _manifest.Entries.Remove(path);
        }

        foreach (var path in report.MissingAtTarget)
        {
            _manifest.Entries.Remove(path);
        }

        foreach (var path in report.RedundantAtTarget)
        {
            _manifest.Entries.TryAdd(path, new FileEntry(path) { Kind = FileKind.Unknown });
        }
    }

    /// <summary>Hashes again, from the source's files, every regular file the pass did not read.</summary>
    private async Task RehashAsync(List<FileEntry> entries, CancellationToken cancellationToken)
    {
        // Entries kept because they are excluded stand for what the target has, not for the source's current files.
        var exclusions = _context.Exclusions;
        var work = entries.FindAll(e => e.Kind == FileKind.Regular && !e.ReadThisPass && e.LinkTo is null && !exclusions.IsExcludedOrUnder(e.Path, isDirectory: false));
        var options = new ParallelOptions { MaxDegreeOfParallelism = _context.Settings.Walkers, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(work, options, (entry, token) =>
        {
            entry.Hash = HashFile(entry);
            return ValueTask.CompletedTask;
        }).ConfigureAwait(false);

        var byPath = _manifest.Entries;
        foreach (var entry in entries)
        {
            if (entry.LinkTo is { } primary && byPath.TryGetValue(primary, out var target))
            {
                entry.Hash = target.Hash;
            }
        }
    }

    private unsafe UInt128 HashFile(FileEntry entry)
    {
        var path = GC.AllocateUninitializedArray<byte>(RawPath.MaxLength + 2, pinned: true);
        _context.FullPath(entry.Path, path);
        var fd = Walker.OpenNoAtime(FileNative.AtFdCwd, (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(path)), FileNative.ORdOnly | FileNative.ONoFollow | FileNative.OCloExec | FileNative.ONonBlock);
        if (fd < 0)
        {
            return UInt128.One; // gone: will not match
        }

        try
        {
            return HashDescriptor(fd, entry.Size);
        }
        finally
        {
            FileNative.CloseQuietly(fd);
        }
    }

    /// <summary>The content hash (see <see cref="ContentHash"/>) of an open file of <paramref name="size"/> bytes.</summary>
    internal static unsafe UInt128 HashDescriptor(int fd, long size)
    {
        var chunk = GC.AllocateUninitializedArray<byte>(FileReplicationSettings.ChunkSize);
        var count = ContentHash.ChunkCount(size);
        var builder = count > 1 ? new ContentHash.Builder() : null;
        UInt128 single = BlockHash.Zero;
        fixed (byte* p = chunk)
        {
            for (long c = 0; c < count; c++)
            {
                var offset = c * FileReplicationSettings.ChunkSize;
                var length = (int)Math.Min(FileReplicationSettings.ChunkSize, size - offset);
                var total = 0;
                while (total < length)
                {
                    var n = FileNative.PRead(fd, p + total, length - total, offset + total);
                    if (n <= 0)
                    {
                        if (n < 0 && FileNative.Errno == Errno.EINTR)
                        {
                            continue;
                        }

                        break;
                    }

                    total += (int)n;
                }

                chunk.AsSpan(total, length - total).Clear();
                var hash = BlockHash.Compute(chunk.AsSpan(0, length));
                if (builder is null)
                {
                    single = hash;
                }
                else
                {
                    builder.Append(hash);
                }
            }
        }

        return builder?.Finish() ?? single;
    }

    /// <summary>The hash a symbolic link's target is compared by.</summary>
    internal static UInt128 HashLinkTarget(ReadOnlySpan<byte> target) => XxHash128.HashToUInt128(target) | UInt128.One;
}
