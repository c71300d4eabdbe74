using System.Buffers;
using Sms.Blocks;

namespace Sms.Discovery.FileSystems.Ext;

/// <summary>Reads the group descriptor table (plain, or META_BG style) and checks every descriptor as the kernel does.</summary>
internal static class ExtDescriptorTable
{
    /// <summary>Consecutive descriptor blocks are read this many bytes at a time.</summary>
    private const int ReadChunk = 1 << 20;

    /// <summary>Reads and checks the descriptors of all groups.</summary>
    /// <param name="disk">The disk.</param>
    /// <param name="offset">Where the file system starts.</param>
    /// <param name="geometry">The checked layout.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The descriptors, or why they are not trusted.</returns>
    public static async ValueTask<(ExtGroupDescriptor[]? Descriptors, string? Problem)> ReadAsync(
        IBlockSource disk, long offset, ExtGeometry geometry, CancellationToken cancellationToken)
    {
        var blockSize = geometry.BlockSize;
        var maxRun = Math.Max(1, ReadChunk / blockSize);
        var descriptors = new ExtGroupDescriptor[geometry.GroupCount];
        var buffer = ArrayPool<byte>.Shared.Rent(maxRun * blockSize);
        try
        {
            var index = 0;
            while (index < geometry.DescriptorBlocks)
            {
                var location = geometry.DescriptorBlockLocation(index);
                var run = 1;
                while (index + run < geometry.DescriptorBlocks && run < maxRun && geometry.DescriptorBlockLocation(index + run) == location + run)
                {
                    run++;
                }

                if (location + run > geometry.BlocksCount)
                {
                    return (null, $"group descriptor block {index} at {location} is outside the file system");
                }

                var bytes = buffer.AsMemory(0, run * blockSize);
                if (!await DiskBytes.TryReadExactAsync(disk, offset + (location * blockSize), bytes, cancellationToken).ConfigureAwait(false))
                {
                    return (null, $"group descriptor block {index} at {location} is beyond the end of the disk");
                }

                var corrupt = Parse(bytes.Span, index, geometry, descriptors);
                if (corrupt >= 0)
                {
                    return (null, $"group {corrupt}: the descriptor checksum does not match");
                }

                index += run;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        for (var group = 0; group < descriptors.Length; group++)
        {
            var problem = Check(geometry, group, descriptors[group]);
            if (problem is not null)
            {
                return (null, problem);
            }
        }

        return (descriptors, null);
    }

    /// <summary>Checks one descriptor: its bitmaps and inode table lie inside the file system (inside the group itself
    /// without flex_bg) and clear of the primary superblock and descriptor table.</summary>
    /// <returns>Why it is not trusted, or <see langword="null"/>.</returns>
    internal static string? Check(ExtGeometry geometry, int group, ExtGroupDescriptor descriptor)
    {
        long low = geometry.FirstDataBlock, high = geometry.BlocksCount;
        if (!geometry.FlexBg)
        {
            low = geometry.GroupFirstBlock(group);
            high = low + geometry.GroupBlockCount(group);
        }

        var problem = CheckSpan(geometry, "block bitmap", descriptor.BlockBitmap, 1, low, high)
            ?? CheckSpan(geometry, "inode bitmap", descriptor.InodeBitmap, 1, low, high)
            ?? CheckSpan(geometry, "inode table", descriptor.InodeTable, geometry.InodeTableBlocks, low, high);
        return problem is null ? null : $"group {group}: {problem}";
    }

    private static string? CheckSpan(ExtGeometry geometry, string what, long start, long count, long low, long high)
    {
        if (start < low || start > high - count)
        {
            return $"{what} at block {start} is outside [{low}, {high})";
        }

        var reservedEnd = geometry.SuperblockBlock + geometry.PrimaryDescriptorBlocks;
        return start <= reservedEnd && start + count > geometry.SuperblockBlock
            ? $"{what} at block {start} overlaps the superblock or the group descriptors"
            : null;
    }

    /// <summary>Parses the descriptors in a run of descriptor blocks.</summary>
    /// <returns>The first group whose checksum does not match, or -1.</returns>
    private static int Parse(ReadOnlySpan<byte> blocks, int firstIndex, ExtGeometry geometry, ExtGroupDescriptor[] descriptors)
    {
        var wide = geometry.Superblock.HasIncompat(ExtFeatures.Incompat64Bit);
        var run = blocks.Length / geometry.BlockSize;
        for (var i = 0; i < run; i++)
        {
            var block = blocks.Slice(i * geometry.BlockSize, geometry.BlockSize);
            var firstGroup = (long)(firstIndex + i) * geometry.DescsPerBlock;
            var count = (int)Math.Min(geometry.DescsPerBlock, descriptors.Length - firstGroup);
            for (var j = 0; j < count; j++)
            {
                var group = (int)firstGroup + j;
                var raw = block.Slice(j * geometry.DescSize, geometry.DescSize);
                if (!ExtChecksums.DescriptorMatches(geometry, group, raw))
                {
                    return group;
                }

                descriptors[group] = ExtGroupDescriptor.Parse(raw, wide);
            }
        }

        return -1;
    }
}
