using System.Buffers;
using System.Runtime.InteropServices;
using Sms.Blocks;

namespace Sms.Discovery.FileSystems.Xfs;

/// <summary>
/// Reads XFS (v4 and v5): the primary superblock for the description, and each allocation group's
/// by-block-number free-space b+tree for the allocation map. Everything the b+trees do not list as free is
/// allocated: AG headers, inode chunks, the internal log, metadata b+trees, file data — and the AGFL.
/// </summary>
/// <remarks>
/// <para>
/// AGFL decision: blocks on an AG's free list (agf_flcount of them) are not in the bno b+tree, so this map keeps
/// them as allocated. They hold no file data, so copying them is merely a few wasted blocks per AG, and not parsing
/// the AGFL avoids its circular list (whose size older kernels miscomputed). <c>xfs_db -c "freesp"</c> counts them
/// as free (one single-block extent each), so its "total free blocks" equals Σ agf_freeblks + Σ agf_flcount, and
/// this map's allocated blocks equal dblocks − that total + Σ agf_flcount. UsedBytes is dblocks − Σ agf_freeblks
/// (not sb_fdblocks, which lags on a mounted file system and also counts the AGFL and b+tree blocks as free).
/// </para>
/// <para>
/// The map reads the on-disk b+trees: on a mounted file system changes still only in the log are not seen, so
/// replicate a frozen file system or a snapshot. An external log and a realtime device are not mapped (a note
/// says so). Malformed metadata never throws: the map is <see langword="null"/> (the whole partition is kept).
/// </para>
/// </remarks>
public sealed class XfsFileSystemReader : IFileSystemReader
{
    /// <inheritdoc />
    public async ValueTask<FileSystemDescription?> ProbeAsync(IBlockSource disk, long offset, long length, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(disk);
        var found = await XfsVolume.ReadAsync(disk, offset, length, cancellationToken).ConfigureAwait(false);
        if (found is not { } volume)
        {
            return null;
        }

        var superblock = volume.Superblock;
        var description = new FileSystemDescription
        {
            Kind = FileSystemKind.Xfs,
            Label = superblock.Label,
            Uuid = superblock.Uuid.ToString("D"),
            BlockSize = volume.HasValidGeometry ? (int)superblock.BlockSize : 0,
            TotalBytes = volume.HasValidGeometry ? superblock.TotalBytes : length,
        };
        if (volume.Problem is not null)
        {
            return description with { Note = volume.Problem };
        }

        // The AGF counters are exact for what the b+trees hold; sb_fdblocks is only a first estimate.
        var (freeBlocks, problem) = await ReadFreeBlockCountAsync(disk, offset, superblock, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return description with { Note = problem };
        }

        return description with
        {
            UsedBytes = ((long)superblock.DataBlocks - freeBlocks) * superblock.BlockSize,
            Note = volume.Remark,
        };
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<BlockRange>?> GetAllocatedRangesAsync(IBlockSource disk, long offset, long length, FileSystemDescription description, CancellationToken cancellationToken = default)
    {
        var map = await ReadAllocationMapAsync(disk, offset, length, description, cancellationToken).ConfigureAwait(false);
        return map.AllocatedRanges;
    }

    /// <summary>
    /// The sum of agf_freeblks over all AGs (one sector read per AG), or why an AGF is unusable: exact for what the
    /// bno b+trees hold, unlike the superblock's lazily updated sb_fdblocks.
    /// </summary>
    private static async ValueTask<(long FreeBlocks, string? Problem)> ReadFreeBlockCountAsync(IBlockSource disk, long offset, XfsSuperblock superblock, CancellationToken cancellationToken)
    {
        var sector = new byte[superblock.SectorSize];
        long free = 0;
        for (uint ag = 0; ag < superblock.AgCount; ag++)
        {
            var (agf, problem) = await ReadAgfAsync(disk, offset, superblock, ag, sector, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                return (0, problem);
            }

            free += agf.FreeBlocks;
        }

        return (free, null);
    }

    /// <summary>Reads the allocation map, keeping the free extents and the reason it gave up.</summary>
    /// <param name="disk">The disk.</param>
    /// <param name="offset">Where the file system starts.</param>
    /// <param name="length">The partition's length.</param>
    /// <param name="description">What <see cref="ProbeAsync"/> returned.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The map; its ranges are <see langword="null"/> (with a note) when the metadata is not understood.</returns>
    internal static async ValueTask<XfsAllocationMap> ReadAllocationMapAsync(IBlockSource disk, long offset, long length, FileSystemDescription description, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(disk);
        ArgumentNullException.ThrowIfNull(description);
        if (description.Kind != FileSystemKind.Xfs)
        {
            return new XfsAllocationMap { Note = $"not an XFS description ({description.Kind})" };
        }

        var found = await XfsVolume.ReadAsync(disk, offset, length, cancellationToken).ConfigureAwait(false);
        if (found is not { } volume)
        {
            return new XfsAllocationMap { Note = "the XFS superblock is gone" };
        }

        if (volume.Problem is not null)
        {
            return new XfsAllocationMap { Note = volume.Problem };
        }

        var superblock = volume.Superblock;
        var buffer = ArrayPool<byte>.Shared.Rent((int)superblock.BlockSize);
        try
        {
            var map = await MapAsync(disk, offset, superblock, buffer, cancellationToken).ConfigureAwait(false);
            return map.AllocatedRanges is null ? map : map with { Note = volume.Remark };
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async ValueTask<XfsAllocationMap> MapAsync(IBlockSource disk, long offset, XfsSuperblock superblock, byte[] buffer, CancellationToken cancellationToken)
    {
        var ranges = new List<BlockRange>();
        var freeExtents = new List<XfsFreeExtent>();
        var free = new List<XfsExtent>();
        var allocated = new List<XfsExtent>();
        long freeBlocks = 0, freeListBlocks = 0;
        for (uint ag = 0; ag < superblock.AgCount; ag++)
        {
            var (agf, problem) = await ReadAgfAsync(disk, offset, superblock, ag, buffer.AsMemory(0, superblock.SectorSize), cancellationToken).ConfigureAwait(false);
            problem ??= await XfsFreeSpaceBtree.ReadAsync(disk, offset, superblock, ag, agf, buffer, free, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                return new XfsAllocationMap { Note = problem };
            }

            allocated.Clear();
            if (!XfsExtents.TryComplement(CollectionsMarshal.AsSpan(free), superblock.AgLength(ag), allocated))
            {
                return new XfsAllocationMap { Note = $"free extents of AG {ag} are not in order" };
            }

            foreach (var extent in free)
            {
                freeExtents.Add(new XfsFreeExtent(ag, extent));
            }

            foreach (var extent in allocated)
            {
                Append(ranges, superblock.ByteOffset(ag, extent.Start), superblock.ByteOffset(ag, extent.End));
            }

            freeBlocks += agf.FreeBlocks;
            freeListBlocks += agf.FreeListCount;
        }

        return new XfsAllocationMap { AllocatedRanges = ranges, FreeExtents = freeExtents, FreeBlocks = freeBlocks, FreeListBlocks = freeListBlocks };
    }

    private static async ValueTask<(XfsAgf Agf, string? Problem)> ReadAgfAsync(IBlockSource disk, long offset, XfsSuperblock superblock, uint ag, Memory<byte> sector, CancellationToken cancellationToken)
    {
        var at = offset + superblock.ByteOffset(ag, 0) + superblock.SectorSize;
        if (!await DiskBytes.TryReadExactAsync(disk, at, sector, cancellationToken).ConfigureAwait(false))
        {
            return (default, $"AGF {ag} lies past the end of the disk");
        }

        var problem = XfsAgf.Parse(sector.Span, superblock, ag, out var agf);
        return (agf, problem);
    }

    private static void Append(List<BlockRange> ranges, long start, long end)
    {
        if (ranges.Count > 0 && ranges[^1].End == start)
        {
            ranges[^1] = BlockRange.FromBounds(ranges[^1].Offset, end);
        }
        else
        {
            ranges.Add(BlockRange.FromBounds(start, end));
        }
    }
}
