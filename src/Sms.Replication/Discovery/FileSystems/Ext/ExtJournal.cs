using System.Buffers.Binary;
using Sms.Blocks;

namespace Sms.Discovery.FileSystems.Ext;

/// <summary>
/// Decides whether a file system flagged <c>needs_recovery</c> really has journal transactions to replay. A mounted
/// (or frozen, or snapshotted) ext3/ext4 always carries the flag; only a journal whose superblock says
/// <c>s_start != 0</c> holds committed blocks (bitmaps among them) that are not yet in place, which would make the
/// on-disk bitmaps stale.
/// </summary>
internal static class ExtJournal
{
    /*  The inode fields read (offsets in hex): 20 i_flags, 28 i_block[15] (60 bytes).
        An extent node: 00 eh_magic (16) 02 eh_entries (16) 04 eh_max (16) 06 eh_depth (16), then 12-byte entries:
        leaf  00 ee_block 04 ee_len (16) 06 ee_start_hi (16) 08 ee_start_lo
        index 00 ei_block 04 ei_leaf_lo 08 ei_leaf_hi (16)
        The jbd2 superblock is big-endian: 00 h_magic 04 h_blocktype ... 1C s_start.                       */
    private const int InodeFlagsAt = 0x20;
    private const int InodeBlockAt = 0x28;
    private const int InodeBlockSize = 60;
    private const uint ExtentsFlag = 0x80000;
    private const ushort ExtentMagic = 0xF30A;
    private const int ExtentHeaderSize = 12;
    private const int ExtentEntrySize = 12;
    private const int MaxExtentDepth = 5;
    private const uint JournalMagic = 0xC03B3998;
    private const int JournalStartAt = 0x1C;

    /// <summary>Says why the bitmaps may be stale because of the journal, if they may.</summary>
    /// <param name="disk">The disk.</param>
    /// <param name="offset">Where the file system starts.</param>
    /// <param name="geometry">The checked layout.</param>
    /// <param name="descriptors">The checked descriptors.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>A note, or <see langword="null"/> when no replay is pending.</returns>
    public static async ValueTask<string?> CheckRecoveryAsync(
        IBlockSource disk, long offset, ExtGeometry geometry, ExtGroupDescriptor[] descriptors, CancellationToken cancellationToken)
    {
        var sb = geometry.Superblock;
        if (!sb.HasIncompat(ExtFeatures.IncompatRecover))
        {
            return null;
        }

        const string Pending = "the journal needs recovery (transactions not yet written back), so the bitmaps may be stale; the whole partition is kept";
        if (!sb.HasCompat(ExtFeatures.CompatHasJournal) || sb.JournalInode == 0)
        {
            return Pending + " (external or missing journal)";
        }

        var block = await FirstJournalBlockAsync(disk, offset, geometry, descriptors, cancellationToken).ConfigureAwait(false);
        if (block < 0)
        {
            return Pending + " (the journal inode cannot be followed)";
        }

        var header = new byte[JournalStartAt + 4];
        if (!await DiskBytes.TryReadExactAsync(disk, offset + (block * geometry.BlockSize), header, cancellationToken).ConfigureAwait(false)
            || BinaryPrimitives.ReadUInt32BigEndian(header) != JournalMagic)
        {
            return Pending + " (no journal superblock)";
        }

        return BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(JournalStartAt)) == 0 ? null : Pending;
    }

    /// <summary>The physical block of the journal's logical block 0, or -1 when it cannot be found safely.</summary>
    private static async ValueTask<long> FirstJournalBlockAsync(
        IBlockSource disk, long offset, ExtGeometry geometry, ExtGroupDescriptor[] descriptors, CancellationToken cancellationToken)
    {
        var sb = geometry.Superblock;
        var index = (long)sb.JournalInode - 1;
        var group = index / sb.InodesPerGroup;
        if (group >= descriptors.Length)
        {
            return -1;
        }

        var inodeAt = (descriptors[group].InodeTable * geometry.BlockSize) + (index % sb.InodesPerGroup * geometry.InodeSize);
        var inode = new byte[128];
        if (!await DiskBytes.TryReadExactAsync(disk, offset + inodeAt, inode, cancellationToken).ConfigureAwait(false))
        {
            return -1;
        }

        if ((BinaryPrimitives.ReadUInt32LittleEndian(inode.AsSpan(InodeFlagsAt)) & ExtentsFlag) == 0)
        {
            return InFileSystem(geometry, BinaryPrimitives.ReadUInt32LittleEndian(inode.AsSpan(InodeBlockAt)));
        }

        var node = inode.AsMemory(InodeBlockAt, InodeBlockSize);
        var depth = -1;
        for (var level = 0; level <= MaxExtentDepth; level++)
        {
            var (next, nodeDepth) = FollowNode(node.Span, depth, geometry);
            if (next < 0 || nodeDepth == 0)
            {
                return next;
            }

            var child = new byte[geometry.BlockSize];
            if (!await DiskBytes.TryReadExactAsync(disk, offset + (next * geometry.BlockSize), child, cancellationToken).ConfigureAwait(false))
            {
                return -1;
            }

            node = child;
            depth = nodeDepth - 1;
        }

        return -1;
    }

    /// <summary>In an extent node: the block holding logical block 0 (a leaf), or the child node to read (an index).</summary>
    /// <returns>The block (-1 when there is none) and the node's depth.</returns>
    private static (long Block, int Depth) FollowNode(ReadOnlySpan<byte> node, int expectedDepth, ExtGeometry geometry)
    {
        var entries = BinaryPrimitives.ReadUInt16LittleEndian(node[2..]);
        int depth = BinaryPrimitives.ReadUInt16LittleEndian(node[6..]);
        if (BinaryPrimitives.ReadUInt16LittleEndian(node) != ExtentMagic || entries == 0
            || entries > (node.Length - ExtentHeaderSize) / ExtentEntrySize || depth > MaxExtentDepth
            || (expectedDepth >= 0 && depth != expectedDepth))
        {
            return (-1, 0);
        }

        var entry = node.Slice(ExtentHeaderSize, ExtentEntrySize);
        if (BinaryPrimitives.ReadUInt32LittleEndian(entry) != 0)
        {
            return (-1, 0);
        }

        if (depth > 0)
        {
            var leaf = BinaryPrimitives.ReadUInt32LittleEndian(entry[4..]) | ((long)BinaryPrimitives.ReadUInt16LittleEndian(entry[8..]) << 32);
            return (InFileSystem(geometry, leaf), depth);
        }

        // ee_len above 32768 marks an unwritten extent, which reads as zeros: no journal superblock there.
        var length = BinaryPrimitives.ReadUInt16LittleEndian(entry[4..]);
        if (length == 0 || length > 32768)
        {
            return (-1, 0);
        }

        var start = BinaryPrimitives.ReadUInt32LittleEndian(entry[8..]) | ((long)BinaryPrimitives.ReadUInt16LittleEndian(entry[6..]) << 32);
        return (InFileSystem(geometry, start), 0);
    }

    private static long InFileSystem(ExtGeometry geometry, long block)
        => block >= geometry.FirstDataBlock && block < geometry.BlocksCount && block != 0 ? block : -1;
}
