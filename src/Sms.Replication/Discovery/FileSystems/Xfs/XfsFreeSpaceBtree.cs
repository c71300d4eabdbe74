using System.Runtime.InteropServices;
using Sms.Blocks;

namespace Sms.Discovery.FileSystems.Xfs;

/// <summary>Walks one AG's by-block-number free-space b+tree and collects its free extents, defensively.</summary>
internal static class XfsFreeSpaceBtree
{
    /// <summary>
    /// Reads the free extents of allocation group <paramref name="agNumber"/> in block order. The walk fails (with
    /// the reason) on a bad magic, CRC, level or record count, a pointer outside the AG, a block reached twice, a
    /// depth above <see cref="XfsAgf.MaxLevels"/>, records out of order or overlapping, a free extent covering the
    /// AG headers or a b+tree block, or a total that differs from agf_freeblks.
    /// </summary>
    /// <param name="disk">The disk.</param>
    /// <param name="fileSystemOffset">Where the file system starts on the disk.</param>
    /// <param name="superblock">The superblock.</param>
    /// <param name="agNumber">The AG.</param>
    /// <param name="agf">Its AGF.</param>
    /// <param name="buffer">Scratch space of one block.</param>
    /// <param name="free">Receives the free extents (cleared first).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>What is wrong, or <see langword="null"/> when <paramref name="free"/> holds the AG's free extents.</returns>
    public static async ValueTask<string?> ReadAsync(IBlockSource disk, long fileSystemOffset, XfsSuperblock superblock, uint agNumber, XfsAgf agf, Memory<byte> buffer, List<XfsExtent> free, CancellationToken cancellationToken)
    {
        free.Clear();
        buffer = buffer[..(int)superblock.BlockSize];
        var pending = new Stack<(uint Block, int Level)>();
        var visited = new HashSet<uint>();
        pending.Push((agf.BnoRoot, (int)agf.BnoLevels - 1));
        while (pending.Count > 0)
        {
            var (block, level) = pending.Pop();
            if (!visited.Add(block))
            {
                return $"free-space b+tree of AG {agNumber} reaches block {block} twice (a cycle)";
            }

            var at = fileSystemOffset + superblock.ByteOffset(agNumber, block);
            if (!await DiskBytes.TryReadExactAsync(disk, at, buffer, cancellationToken).ConfigureAwait(false))
            {
                return $"free-space b+tree block {agNumber}/{block} lies past the end of the disk";
            }

            var problem = Visit(buffer.Span, superblock, agNumber, block, level, isRoot: visited.Count == 1, free, pending);
            if (problem is not null)
            {
                return problem;
            }
        }

        return CheckResult(superblock, agNumber, agf, free, visited);
    }

    private static string? Visit(ReadOnlySpan<byte> block, in XfsSuperblock superblock, uint agNumber, uint agBlock, int level, bool isRoot, List<XfsExtent> free, Stack<(uint Block, int Level)> pending)
    {
        var problem = XfsAllocBtreeBlock.CheckHeader(block, superblock, agNumber, agBlock, level, isRoot, out var count);
        if (problem is not null)
        {
            return problem;
        }

        var header = XfsAllocBtreeBlock.HeaderLength(superblock);
        if (level == 0)
        {
            for (var i = 0; i < count; i++)
            {
                free.Add(XfsAllocBtreeBlock.Record(block, header, i));
            }

            return null;
        }

        // Push right to left so that the leftmost child is walked first and leaves come out in block order.
        var capacity = XfsAllocBtreeBlock.NodeCapacity(superblock);
        var agLength = superblock.AgLength(agNumber);
        for (var i = count - 1; i >= 0; i--)
        {
            var child = XfsAllocBtreeBlock.Pointer(block, header, capacity, i);
            if (child < superblock.AgHeaderBlocks || child >= agLength)
            {
                return $"free-space b+tree block {agNumber}/{agBlock} points outside the AG ({child})";
            }

            pending.Push((child, level - 1));
        }

        return null;
    }

    private static string? CheckResult(in XfsSuperblock superblock, uint agNumber, XfsAgf agf, List<XfsExtent> free, HashSet<uint> visited)
    {
        var extents = CollectionsMarshal.AsSpan(free);
        if (!XfsExtents.IsValidFreeList(extents, superblock.AgLength(agNumber)))
        {
            return $"free-space b+tree of AG {agNumber} lists empty, unordered, overlapping or out-of-range extents";
        }

        long total = 0;
        for (var i = 0; i < extents.Length; i++)
        {
            total += extents[i].Length;
        }

        if (total != agf.FreeBlocks)
        {
            return $"free-space b+tree of AG {agNumber} holds {total} free blocks but agf_freeblks says {agf.FreeBlocks}";
        }

        if (extents.Length > 0 && extents[0].Start < superblock.AgHeaderBlocks)
        {
            return $"free-space b+tree of AG {agNumber} marks the AG headers free";
        }

        foreach (var block in visited)
        {
            if (XfsExtents.Contains(extents, block))
            {
                return $"free-space b+tree of AG {agNumber} marks its own block {block} free";
            }
        }

        return null;
    }
}
