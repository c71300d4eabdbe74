using System.Buffers.Binary;
using Sms.Files.Native;
using Sms.Files.Source;
using Sms.Files.Wire;

namespace Sms.Files.Target;

/// <summary>
/// The receiver's half of verification: collects the source's pages of entries, walks its own tree (without
/// following symbolic links), compares kind, mode, owner, size and modification time, and in a full check hashes
/// every regular file and link target; returns pages of inconsistent, missing and redundant paths.
/// </summary>
internal sealed unsafe class TargetVerifier
{
    private const int MaxEntries = 50_000_000;
    private const int PageBytes = 1 << 20;
    private readonly DirectoryHandles _directories;
    private readonly Dictionary<string, Expected> _expected = new(StringComparer.Ordinal);
    private FileVerifyMode _mode = FileVerifyMode.Quick;

    public TargetVerifier(DirectoryHandles directories)
    {
        _directories = directories;
    }

    /// <summary>Adds a page of the source's entries.</summary>
    /// <exception cref="ReplicationProtocolException">The page is malformed or there are too many entries.</exception>
    public void AddPage(ReadOnlySpan<byte> page)
    {
        if (page.IsEmpty || page[0] is not ((byte)FileVerifyMode.Quick or (byte)FileVerifyMode.Full))
        {
            throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, "A verify page has no valid mode.");
        }

        _mode = (FileVerifyMode)page[0];
        var at = 1;
        const int Fixed = 4 + 4 + 4 + 8 + 8 + 4 + 16;
        while (at < page.Length)
        {
            if (at + 3 > page.Length)
            {
                throw Malformed();
            }

            var kind = (FileKind)page[at];
            var length = BinaryPrimitives.ReadUInt16BigEndian(page[(at + 1)..]);
            at += 3;
            if (at + length + Fixed > page.Length || !Enum.IsDefined(kind))
            {
                throw Malformed();
            }

            var path = PathRules.Validate(page.Slice(at, length), allowRoot: true);
            at += length;
            var f = page.Slice(at, Fixed);
            at += Fixed;
            if (_expected.Count >= MaxEntries)
            {
                throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, "Too many entries to verify.");
            }

            _expected[path] = new Expected(
                kind,
                BinaryPrimitives.ReadUInt32BigEndian(f),
                BinaryPrimitives.ReadUInt32BigEndian(f[4..]),
                BinaryPrimitives.ReadUInt32BigEndian(f[8..]),
                BinaryPrimitives.ReadInt64BigEndian(f[12..]),
                new FileTime(BinaryPrimitives.ReadInt64BigEndian(f[20..]), BinaryPrimitives.ReadUInt32BigEndian(f[28..])),
                BinaryPrimitives.ReadUInt128BigEndian(f[32..]));
        }
    }

    /// <summary>Compares the tree with what was received; returns the result pages (status, path).</summary>
    public List<byte[]> Run()
    {
        var results = new List<(byte Status, string Path)>();
        var toHash = new List<(string Path, long Size, UInt128 Hash)>();
        using (var root = _directories.Open(string.Empty))
        {
            Span<byte> buffer = stackalloc byte[StatxInfo.BufferSize];
            fixed (byte* b = buffer)
            {
                if (FileNative.Statx(root.Fd, FileNative.EmptyPath, FileNative.AtEmptyPath, FileNative.StatxBasicStats, b) == 0)
                {
                    Compare(string.Empty, StatxInfo.Parse(buffer), root.Fd, null, results, toHash);
                }
            }

            Walk(root.Fd, string.Empty, results, toHash);
        }

        if (toHash.Count > 0)
        {
            var mismatched = new System.Collections.Concurrent.ConcurrentBag<string>();
            Parallel.ForEach(toHash, new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(Environment.ProcessorCount, 1, 4) }, item =>
            {
                if (HashOf(item.Path, item.Size) != item.Hash)
                {
                    mismatched.Add(item.Path);
                }
            });

            foreach (var path in mismatched)
            {
                results.Add((SourceVerifier.Inconsistent, path));
            }
        }

        foreach (var path in _expected.Keys)
        {
            results.Add((SourceVerifier.Missing, path));
        }

        results.Sort(static (a, b) => string.CompareOrdinal(a.Path, b.Path));
        var pages = new List<byte[]>();
        var page = new RecordBuffer(PageBytes + FileWire.RecordOverhead);
        foreach (var (status, path) in results)
        {
            if (page.Length >= PageBytes)
            {
                pages.Add(page.Written.ToArray());
                page.Reset();
            }

            page.WriteByte(status);
            page.WriteString(path);
        }

        pages.Add(page.Written.ToArray());
        return pages;
    }

    private void Walk(int fd, string path, List<(byte, string)> results, List<(string, long, UInt128)> toHash)
    {
        var reader = new DirectoryReader(16 * 1024);
        reader.Reset(fd);
        Span<byte> buffer = stackalloc byte[StatxInfo.BufferSize];
        var subdirectories = new List<(string Path, byte[] Name)>();
        fixed (byte* b = buffer)
        {
            while (true)
            {
                if (!reader.TryNext(out var name, out var length, out _, out var errno))
                {
                    if (errno != 0)
                    {
                        NativeErrors.ThrowTarget("read directory", path, errno);
                    }

                    break;
                }

                var child = RawPath.Combine(path, RawPath.FromBytes(new ReadOnlySpan<byte>(name, length)));
                if (FileNative.Statx(fd, name, FileNative.AtSymlinkNoFollow, FileNative.StatxBasicStats, b) != 0)
                {
                    continue;
                }

                var st = StatxInfo.Parse(buffer);
                if (!_expected.ContainsKey(child))
                {
                    results.Add((SourceVerifier.Redundant, child));
                    continue; // a redundant directory is reported once
                }

                Compare(child, st, fd, name, results, toHash);
                if (st.Kind == FileKind.Directory)
                {
                    subdirectories.Add((child, new ReadOnlySpan<byte>(name, length + 1).ToArray()));
                }
            }
        }

        foreach (var (child, name) in subdirectories)
        {
            fixed (byte* n = name)
            {
                var sub = Walker.OpenNoAtime(fd, n, FileNative.ORdOnly | FileNative.ODirectory | FileNative.ONoFollow | FileNative.OCloExec);
                if (sub < 0)
                {
                    continue;
                }

                try
                {
                    Walk(sub, child, results, toHash);
                }
                finally
                {
                    FileNative.CloseQuietly(sub);
                }
            }
        }
    }

    private void Compare(string path, in StatxInfo st, int dirFd, byte* name, List<(byte, string)> results, List<(string, long, UInt128)> toHash)
    {
        if (!_expected.Remove(path, out var e))
        {
            return;
        }

        var kind = st.Kind;
        var size = kind switch
        {
            FileKind.Regular or FileKind.Symlink => st.Size,
            FileKind.CharacterDevice or FileKind.BlockDevice => (long)(((ulong)st.RdevMajor << 32) | st.RdevMinor),
            _ => 0,
        };
        var same = kind == e.Kind && size == e.Size && st.Modify == e.Modify && st.Uid == e.Uid && st.Gid == e.Gid
            && (kind == FileKind.Symlink || st.Permissions == e.Permissions);
        if (same && _mode == FileVerifyMode.Full && e.Hash != UInt128.Zero)
        {
            if (kind == FileKind.Regular)
            {
                toHash.Add((path, st.Size, e.Hash));
            }
            else if (kind == FileKind.Symlink && name is not null)
            {
                Span<byte> target = stackalloc byte[RawPath.MaxLength + 1];
                fixed (byte* t = target)
                {
                    var n = FileNative.ReadLinkAt(dirFd, name, t, target.Length);
                    same = n >= 0 && SourceVerifier.HashLinkTarget(target[..(int)n]) == e.Hash;

                    // Reading a link updates its access time; put it back, verification changes nothing.
                    var times = stackalloc FileNative.Timespec[2];
                    times[0] = st.Access.ToTimespec();
                    times[1] = new FileNative.Timespec { Nanoseconds = (1L << 30) - 2 }; // UTIME_OMIT
                    _ = FileNative.UtimensAt(dirFd, name, times, FileNative.AtSymlinkNoFollow);
                }
            }
        }

        if (!same)
        {
            results.Add((SourceVerifier.Inconsistent, path));
        }
    }

    private UInt128 HashOf(string path, long size)
    {
        if (_directories.TryOpen(RawPath.ParentOf(path), create: false) is not { } parent)
        {
            return UInt128.One;
        }

        using var lease = parent;
        Span<byte> name = stackalloc byte[RawPath.MaxNameLength + 1];
        RawPath.WriteNullTerminated(RawPath.NameOf(path), name);
        fixed (byte* n = name)
        {
            var fd = Walker.OpenNoAtime(parent.Fd, n, FileNative.ORdOnly | FileNative.ONoFollow | FileNative.ONonBlock | FileNative.OCloExec);
            if (fd < 0)
            {
                return UInt128.One;
            }

            try
            {
                return SourceVerifier.HashDescriptor(fd, size);
            }
            finally
            {
                FileNative.CloseQuietly(fd);
            }
        }
    }

    private static ReplicationProtocolException Malformed() => new(SmsErrorCode.ProtocolViolation, "A verify page is malformed.");

    private readonly record struct Expected(FileKind Kind, uint Permissions, uint Uid, uint Gid, long Size, FileTime Modify, UInt128 Hash);
}
