using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Win32.SafeHandles;

namespace Sms.Fixups;

/// <summary>
/// Replays the jbd2 journal of an ext3/ext4 file system inside an image, as the kernel does when it mounts one
/// that was not unmounted cleanly (a copy of a running server is such a file system). The committed transactions
/// from the journal's start are written to their blocks, except blocks revoked by the same or a later transaction;
/// an incomplete last transaction (no commit block, or one whose checksum does not match) is not. Then the journal
/// is marked empty and <c>needs_recovery</c> cleared, with the checksums the file system uses. debugfs's own
/// <c>journal_run</c> cannot be used: it reopens the file system by name and loses the image offset.
/// </summary>
/// <remarks>The journal's block map comes from <c>debugfs stat &lt;8&gt;</c>; everything else is read and written here.</remarks>
internal static partial class Ext4JournalReplay
{
    private const int SuperblockAt = 1024;
    private const uint JournalMagic = 0xC03B3998;
    private const int Descriptor = 1;
    private const int Commit = 2;
    private const int SuperblockV1 = 3;
    private const int SuperblockV2 = 4;
    private const int Revoke = 5;
    private const uint IncompatRevoke = 0x1;
    private const uint Incompat64Bit = 0x2;
    private const uint IncompatAsyncCommit = 0x4;
    private const uint IncompatCsumV2 = 0x8;
    private const uint IncompatCsumV3 = 0x10;
    private const uint IncompatFastCommit = 0x20;
    private const uint KnownIncompat = IncompatRevoke | Incompat64Bit | IncompatAsyncCommit | IncompatCsumV2 | IncompatCsumV3 | IncompatFastCommit;
    private const uint TagEscape = 0x1;
    private const uint TagSameUuid = 0x2;
    private const uint TagLast = 0x8;
    private const uint ExtIncompatRecover = 0x4;
    private const uint ExtRoCompatMetadataCsum = 0x400;

    /// <summary>The journal's state.</summary>
    /// <param name="Pending">Whether transactions wait to be written back.</param>
    /// <param name="Start">The journal block they start at (0 when none).</param>
    internal readonly record struct State(bool Pending, uint Start);

    /// <summary>Replays the journal when it holds transactions.</summary>
    /// <param name="debugfs">debugfs on the file system (for the journal's block map).</param>
    /// <param name="image">The image.</param>
    /// <param name="offset">The file system's first byte.</param>
    /// <param name="cancellationToken">Cancels before anything is written.</param>
    /// <returns>The number of transactions replayed (0 when the journal was empty).</returns>
    /// <exception cref="SmsException">The journal is external, uses a feature not replayed here (fast commits), or is damaged (<see cref="SmsErrorCode.TargetConfigurationFailed"/>).</exception>
    public static async Task<int> ReplayAsync(Debugfs debugfs, string image, long offset, CancellationToken cancellationToken)
    {
        using var handle = File.OpenHandle(image, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        var superblock = await ReadAsync(handle, offset + SuperblockAt, 1024, cancellationToken).ConfigureAwait(false);
        if (BinaryPrimitives.ReadUInt16LittleEndian(superblock.AsSpan(0x38)) != 0xEF53)
        {
            throw Failed(image, offset, "there is no ext2/3/4 file system there");
        }

        if ((BinaryPrimitives.ReadUInt32LittleEndian(superblock.AsSpan(0x60)) & ExtIncompatRecover) == 0)
        {
            return 0;
        }

        var blockSize = 1024 << (int)BinaryPrimitives.ReadUInt32LittleEndian(superblock.AsSpan(0x18));
        var journalInode = BinaryPrimitives.ReadUInt32LittleEndian(superblock.AsSpan(0xE0));
        if (journalInode == 0 || (BinaryPrimitives.ReadUInt32LittleEndian(superblock.AsSpan(0x5C)) & 0x4) == 0)
        {
            throw Failed(image, offset, "it needs recovery but its journal is on another device");
        }

        var map = await BlockMapAsync(debugfs, journalInode, cancellationToken).ConfigureAwait(false);
        var journal = new Journal(handle, offset, blockSize, map);
        var header = await journal.ReadAsync(0, cancellationToken).ConfigureAwait(false);
        if (BinaryPrimitives.ReadUInt32BigEndian(header) != JournalMagic || BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4)) is not (SuperblockV1 or SuperblockV2))
        {
            throw Failed(image, offset, "its journal has no valid superblock");
        }

        var version2 = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4)) == SuperblockV2;
        var incompat = version2 ? BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(0x28)) : 0;
        var start = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(0x1C));
        var sequence = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(0x18));
        var first = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(0x14));
        var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(0x10));
        if (BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(0xC)) != blockSize || length > map.Length || first == 0 || first >= length)
        {
            throw Failed(image, offset, "its journal's superblock does not fit the journal");
        }

        if ((incompat & ~KnownIncompat) != 0 || (incompat & IncompatFastCommit) != 0)
        {
            throw Failed(image, offset, $"its journal uses features not replayed here (incompat 0x{incompat:x}); run e2fsck -E journal_only on the partition");
        }

        var replayed = 0;
        if (start != 0)
        {
            var layout = new Layout(blockSize, incompat, version2 ? header.AsSpan(0x30, 16).ToArray() : new byte[16], first, length);
            var (end, transactions) = await ScanAsync(journal, layout, start, sequence, cancellationToken).ConfigureAwait(false);
            var revoked = await RevokedAsync(journal, transactions, layout, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            replayed = await WriteBackAsync(journal, transactions, layout, revoked, CancellationToken.None).ConfigureAwait(false);

            // An empty journal, the next transaction after the last one replayed.
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(0x18), end + 1);
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(0x1C), 0);
            if ((incompat & (IncompatCsumV2 | IncompatCsumV3)) != 0)
            {
                BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(0xFC), 0);
                BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(0xFC), Crc32C(uint.MaxValue, header.AsSpan(0, 1024)));
            }

            await journal.WriteAsync(0, header, CancellationToken.None).ConfigureAwait(false);
        }

        // The superblock may itself have been replayed: read it again before clearing needs_recovery.
        superblock = await ReadAsync(handle, offset + SuperblockAt, 1024, CancellationToken.None).ConfigureAwait(false);
        BinaryPrimitives.WriteUInt32LittleEndian(superblock.AsSpan(0x60), BinaryPrimitives.ReadUInt32LittleEndian(superblock.AsSpan(0x60)) & ~ExtIncompatRecover);
        if ((BinaryPrimitives.ReadUInt32LittleEndian(superblock.AsSpan(0x64)) & ExtRoCompatMetadataCsum) != 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(superblock.AsSpan(0x3FC), Crc32C(uint.MaxValue, superblock.AsSpan(0, 0x3FC)));
        }

        await RandomAccess.WriteAsync(handle, superblock, offset + SuperblockAt, CancellationToken.None).ConfigureAwait(false);
        RandomAccess.FlushToDisk(handle);
        return replayed;
    }

    /// <summary>crc32c as jbd2 and ext4 use it: the seed given, no final inversion.</summary>
    /// <param name="crc">The seed.</param>
    /// <param name="data">The bytes.</param>
    /// <returns>The checksum.</returns>
    internal static uint Crc32C(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }

    /// <summary>Walks the journal from its start: the complete transactions and where each begins.</summary>
    private static async Task<(uint End, List<(uint Sequence, uint Block)> Transactions)> ScanAsync(
        Journal journal, Layout layout, uint start, uint sequence, CancellationToken cancellationToken)
    {
        var transactions = new List<(uint, uint)>();
        var block = start;
        var expected = sequence;
        var transactionStart = start;
        var seen = 0L;
        while (seen++ < layout.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var data = await journal.ReadAsync(block, cancellationToken).ConfigureAwait(false);
            if (BinaryPrimitives.ReadUInt32BigEndian(data) != JournalMagic || BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(8)) != expected)
            {
                break;
            }

            var type = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(4));
            if (type == Descriptor)
            {
                if (layout.Checksummed && !layout.DescriptorTailMatches(data))
                {
                    break;
                }

                block = layout.Next(block, 1 + layout.Tags(data).Count);
                continue;
            }

            if (type == Revoke)
            {
                block = layout.Next(block, 1);
                continue;
            }

            if (type != Commit || (layout.Checksummed && !layout.CommitMatches(data)))
            {
                break;
            }

            transactions.Add((expected, transactionStart));
            expected++;
            block = layout.Next(block, 1);
            transactionStart = block;
        }

        return (expected, transactions);
    }

    /// <summary>The blocks revoked, each with the last transaction that revoked it.</summary>
    private static async Task<Dictionary<ulong, uint>> RevokedAsync(Journal journal, List<(uint Sequence, uint Block)> transactions, Layout layout, CancellationToken cancellationToken)
    {
        var revoked = new Dictionary<ulong, uint>();
        await WalkAsync(journal, transactions, layout, async (sequence, block, data) =>
        {
            if (BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(4)) != Revoke)
            {
                return;
            }

            var used = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(12)), (uint)(layout.BlockSize - (layout.Checksummed ? 4 : 0)));
            var size = layout.Is64Bit ? 8 : 4;
            for (var at = 16; at + size <= used; at += size)
            {
                var target = layout.Is64Bit ? BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(at)) : BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(at));
                if (!revoked.TryGetValue(target, out var last) || (int)(sequence - last) > 0)
                {
                    revoked[target] = sequence;
                }
            }

            await Task.CompletedTask.ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return revoked;
    }

    /// <summary>Writes each logged block not revoked by its transaction or a later one; returns the transactions replayed.</summary>
    private static async Task<int> WriteBackAsync(Journal journal, List<(uint Sequence, uint Block)> transactions, Layout layout, Dictionary<ulong, uint> revoked, CancellationToken cancellationToken)
    {
        await WalkAsync(journal, transactions, layout, async (sequence, block, data) =>
        {
            if (BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(4)) != Descriptor)
            {
                return;
            }

            var next = block;
            foreach (var (target, flags) in layout.Tags(data))
            {
                next = layout.Next(next, 1);
                if (revoked.TryGetValue(target, out var by) && (int)(by - sequence) >= 0)
                {
                    continue;
                }

                var content = await journal.ReadAsync(next, cancellationToken).ConfigureAwait(false);
                if ((flags & TagEscape) != 0)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(content, JournalMagic);
                }

                await journal.WriteFileSystemBlockAsync(target, content, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
        return transactions.Count;
    }

    /// <summary>Calls back for each descriptor and revoke block of the complete transactions.</summary>
    private static async Task WalkAsync(Journal journal, List<(uint Sequence, uint Block)> transactions, Layout layout, Func<uint, uint, byte[], Task> visit, CancellationToken cancellationToken)
    {
        foreach (var (sequence, start) in transactions)
        {
            var block = start;
            while (true)
            {
                var data = await journal.ReadAsync(block, cancellationToken).ConfigureAwait(false);
                var type = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(4));
                if (type == Commit)
                {
                    break;
                }

                await visit(sequence, block, data).ConfigureAwait(false);
                block = layout.Next(block, type == Descriptor ? 1 + layout.Tags(data).Count : 1);
            }
        }
    }

    private static async Task<uint[]> BlockMapAsync(Debugfs debugfs, uint inode, CancellationToken cancellationToken)
    {
        var stat = Encoding.ASCII.GetString(await debugfs.RequestAsync($"stat <{inode.ToString(CultureInfo.InvariantCulture)}>", "the journal", cancellationToken).ConfigureAwait(false));
        var at = stat.IndexOf("EXTENTS:", StringComparison.Ordinal) is >= 0 and var e ? e : stat.IndexOf("BLOCKS:", StringComparison.Ordinal);
        if (at < 0)
        {
            throw new SmsException(SmsErrorCode.TargetConfigurationFailed, $"debugfs listed no blocks for the journal inode {inode} in {debugfs.ImageSpec}.");
        }

        var map = new List<uint>();
        foreach (Match m in MapEntry().Matches(stat[at..]))
        {
            var logical = uint.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            var logicalEnd = m.Groups[2].Success ? uint.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : logical;
            var physical = uint.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
            if (logical != map.Count || logicalEnd < logical)
            {
                throw new SmsException(SmsErrorCode.TargetConfigurationFailed, $"The journal of {debugfs.ImageSpec} has a hole or an unexpected block map near logical block {logical}.");
            }

            for (var n = logical; n <= logicalEnd; n++)
            {
                map.Add(physical + (n - logical));
            }
        }

        return [.. map];
    }

    private static async Task<byte[]> ReadAsync(SafeFileHandle handle, long at, int length, CancellationToken cancellationToken)
    {
        var buffer = new byte[length];
        var read = 0;
        while (read < length)
        {
            var n = await RandomAccess.ReadAsync(handle, buffer.AsMemory(read), at + read, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new SmsException(SmsErrorCode.TargetConfigurationFailed, $"The image ends at byte {at + read}, inside the file system.");
            }

            read += n;
        }

        return buffer;
    }

    private static SmsException Failed(string image, long offset, string why)
        => new(SmsErrorCode.TargetConfigurationFailed, $"The journal of the file system at byte {offset} of {image} cannot be replayed: {why}.");

    // "(0-1023):2048-3071" or "(12):1246"; "(IND):…" and "(ETB0):…" are tree blocks, not journal blocks.
    [GeneratedRegex(@"\(([0-9]+)(?:-([0-9]+))?\):([0-9]+)(?:-[0-9]+)?", RegexOptions.CultureInvariant)]
    private static partial Regex MapEntry();

    /// <summary>The journal's blocks, by logical number.</summary>
    private sealed class Journal(SafeFileHandle handle, long offset, int blockSize, uint[] map)
    {
        public async Task<byte[]> ReadAsync(uint logical, CancellationToken cancellationToken)
            => await Ext4JournalReplay.ReadAsync(handle, Physical(logical), blockSize, cancellationToken).ConfigureAwait(false);

        public async Task WriteAsync(uint logical, byte[] data, CancellationToken cancellationToken)
            => await RandomAccess.WriteAsync(handle, data, Physical(logical), cancellationToken).ConfigureAwait(false);

        public async Task WriteFileSystemBlockAsync(ulong block, byte[] data, CancellationToken cancellationToken)
            => await RandomAccess.WriteAsync(handle, data, offset + checked((long)block * blockSize), cancellationToken).ConfigureAwait(false);

        private long Physical(uint logical) => logical < map.Length
            ? offset + ((long)map[logical] * blockSize)
            : throw new SmsException(SmsErrorCode.TargetConfigurationFailed, $"The journal refers to its block {logical}, past its end.");
    }

    /// <summary>How the journal's blocks are laid out: tags, checksums, wrapping.</summary>
    private sealed class Layout(int blockSize, uint incompat, byte[] uuid, uint first, uint length)
    {
        private readonly uint _seed = Crc32C(uint.MaxValue, uuid);

        public int BlockSize => blockSize;

        public uint Length => length;

        public bool Is64Bit => (incompat & Incompat64Bit) != 0;

        public bool Checksummed => (incompat & (IncompatCsumV2 | IncompatCsumV3)) != 0;

        private bool V3 => (incompat & IncompatCsumV3) != 0;

        // journal_tag_bytes(): 16 with csum v3; else 8, +4 for 64-bit block numbers, +2 for a csum v2 checksum.
        private int TagSize => V3 ? 16 : (Is64Bit ? 12 : 8) + (Checksummed ? 2 : 0);

        /// <summary>The block after <paramref name="count"/> more, wrapping from the end to the first log block.</summary>
        public uint Next(uint block, int count)
        {
            var next = (long)block + count;
            while (next >= length)
            {
                next -= length - first;
            }

            return (uint)next;
        }

        /// <summary>The file-system blocks a descriptor logs, with each tag's flags.</summary>
        public List<(ulong Block, uint Flags)> Tags(byte[] descriptor)
        {
            var tags = new List<(ulong, uint)>();
            var end = blockSize - (Checksummed ? 4 : 0);
            var at = 12;
            while (at + TagSize <= end)
            {
                ulong block = BinaryPrimitives.ReadUInt32BigEndian(descriptor.AsSpan(at));
                uint flags;
                if (V3)
                {
                    flags = BinaryPrimitives.ReadUInt32BigEndian(descriptor.AsSpan(at + 4));
                    if (Is64Bit)
                    {
                        block |= (ulong)BinaryPrimitives.ReadUInt32BigEndian(descriptor.AsSpan(at + 8)) << 32;
                    }
                }
                else
                {
                    flags = BinaryPrimitives.ReadUInt16BigEndian(descriptor.AsSpan(at + 6));
                    if (Is64Bit)
                    {
                        block |= (ulong)BinaryPrimitives.ReadUInt32BigEndian(descriptor.AsSpan(at + 8)) << 32;
                    }
                }

                tags.Add((block, flags));
                at += TagSize + ((flags & TagSameUuid) == 0 ? 16 : 0);
                if ((flags & TagLast) != 0)
                {
                    break;
                }
            }

            return tags;
        }

        /// <summary>Whether a descriptor's tail checksum (csum v2/v3) matches.</summary>
        public bool DescriptorTailMatches(byte[] block)
        {
            var stored = BinaryPrimitives.ReadUInt32BigEndian(block.AsSpan(blockSize - 4));
            var copy = (byte[])block.Clone();
            BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(blockSize - 4), 0);
            return Crc32C(_seed, copy) == stored;
        }

        /// <summary>Whether a commit block's checksum (csum v2/v3, at byte 16) matches.</summary>
        public bool CommitMatches(byte[] block)
        {
            var stored = BinaryPrimitives.ReadUInt32BigEndian(block.AsSpan(16));
            var copy = (byte[])block.Clone();
            BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(16), 0);
            return Crc32C(_seed, copy) == stored;
        }
    }
}
