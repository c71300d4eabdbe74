using System.Buffers;
using Sms.Blocks;

namespace Sms.Discovery.FileSystems.Ext;

/// <summary>
/// Turns the block bitmaps into byte ranges. Groups flagged BLOCK_UNINIT (with descriptor checksums on) have no
/// bitmap on disk; their allocated blocks are computed as the kernel's <c>ext4_init_block_bitmap</c> and
/// libext2fs do: the group's superblock backup and descriptor blocks, plus any group's bitmaps and inode table that
/// lie inside it.
/// </summary>
internal static class ExtAllocationScanner
{
    /// <summary>Bitmaps that lie next to each other (flex_bg packs them) are read up to this many bytes at a time.</summary>
    private const int ReadChunk = 1 << 20;

    /// <summary>Reads every group's bitmap and returns the allocated ranges, relative to the file system start.</summary>
    /// <param name="disk">The disk.</param>
    /// <param name="offset">Where the file system starts.</param>
    /// <param name="geometry">The checked layout.</param>
    /// <param name="descriptors">The checked descriptors.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The ascending, coalesced ranges, or why they cannot be read.</returns>
    public static async ValueTask<(List<BlockRange>? Ranges, string? Problem)> ScanAsync(
        IBlockSource disk, long offset, ExtGeometry geometry, ExtGroupDescriptor[] descriptors, CancellationToken cancellationToken)
    {
        var blockSize = geometry.BlockSize;
        var maxRun = Math.Max(1, ReadChunk / blockSize);
        var fromBitmaps = new List<BlockRange>();
        var computed = new List<BlockRange>();

        // The boot block and the primary superblock, whatever the bitmaps say.
        AddBlocks(geometry, computed, 0, Math.Max(geometry.FirstDataBlock, geometry.SuperblockBlock) + 1);
        var buffer = ArrayPool<byte>.Shared.Rent(maxRun * blockSize);
        try
        {
            var group = 0;
            while (group < descriptors.Length)
            {
                if (IsUninitialised(geometry, descriptors[group]))
                {
                    var (start, end) = geometry.BaseMetadata(group);
                    AddBlocks(geometry, computed, start, end);
                    group++;
                    continue;
                }

                var location = descriptors[group].BlockBitmap;
                var run = 1;
                while (group + run < descriptors.Length && run < maxRun && !IsUninitialised(geometry, descriptors[group + run])
                    && descriptors[group + run].BlockBitmap == location + run)
                {
                    run++;
                }

                var bytes = buffer.AsMemory(0, run * blockSize);
                if (!await DiskBytes.TryReadExactAsync(disk, offset + (location * blockSize), bytes, cancellationToken).ConfigureAwait(false))
                {
                    return (null, $"the block bitmap of group {group} at block {location} is beyond the end of the disk");
                }

                for (var i = 0; i < run; i++)
                {
                    var bitmap = buffer.AsSpan(i * blockSize, blockSize);
                    if (!ExtChecksums.BitmapMatches(geometry, descriptors[group + i], bitmap))
                    {
                        return (null, $"group {group + i}: the block bitmap checksum does not match");
                    }

                    var origin = geometry.GroupFirstBlock(group + i) * blockSize;
                    BitmapRuns.AppendRanges(bitmap, geometry.GroupClusterCount(group + i), origin, geometry.ClusterSize, geometry.TotalBytes, fromBitmaps);
                }

                group += run;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        AddMetadataInUninitialisedGroups(geometry, descriptors, computed);
        fromBitmaps.AddRange(computed);
        return (BlockRanges.Clip(BlockRanges.Coalesce(fromBitmaps), geometry.TotalBytes), null);
    }

    /// <summary>Whether a group's bitmap is to be computed rather than read (the flag counts only with checksums on).</summary>
    private static bool IsUninitialised(ExtGeometry geometry, ExtGroupDescriptor descriptor)
        => geometry.GroupDescCsum && (descriptor.Flags & ExtGroupDescriptor.BlockUninit) != 0;

    /// <summary>Every group's block bitmap, inode bitmap and inode table blocks that lie in a BLOCK_UNINIT group.</summary>
    private static void AddMetadataInUninitialisedGroups(ExtGeometry geometry, ExtGroupDescriptor[] descriptors, List<BlockRange> computed)
    {
        if (!geometry.GroupDescCsum)
        {
            return;
        }

        foreach (var descriptor in descriptors)
        {
            AddIfInUninitialised(geometry, descriptors, computed, descriptor.BlockBitmap, 1);
            AddIfInUninitialised(geometry, descriptors, computed, descriptor.InodeBitmap, 1);
            AddIfInUninitialised(geometry, descriptors, computed, descriptor.InodeTable, geometry.InodeTableBlocks);
        }
    }

    private static void AddIfInUninitialised(ExtGeometry geometry, ExtGroupDescriptor[] descriptors, List<BlockRange> computed, long start, long count)
    {
        var last = geometry.GroupOf(start + count - 1);
        for (var group = geometry.GroupOf(start); group <= last; group++)
        {
            if (IsUninitialised(geometry, descriptors[group]))
            {
                AddBlocks(geometry, computed, start, start + count);
                return;
            }
        }
    }

    /// <summary>Adds blocks <c>[start, end)</c> as bytes, widened to whole clusters.</summary>
    private static void AddBlocks(ExtGeometry geometry, List<BlockRange> ranges, long start, long end)
    {
        if (end <= start)
        {
            return;
        }

        var cluster = geometry.ClusterSize;
        var first = start * geometry.BlockSize / cluster * cluster;
        var stop = ((end * geometry.BlockSize) + cluster - 1) / cluster * cluster;
        ranges.Add(BlockRange.FromBounds(first, stop));
    }
}
