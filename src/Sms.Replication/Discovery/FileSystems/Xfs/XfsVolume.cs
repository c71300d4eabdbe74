using Sms.Blocks;

namespace Sms.Discovery.FileSystems.Xfs;

/// <summary>The primary superblock of an XFS file system, read and judged.</summary>
internal readonly record struct XfsVolume
{
    /// <summary>The superblock.</summary>
    public XfsSuperblock Superblock { get; init; }

    /// <summary>Whether the geometry (block and sector sizes, AG layout) is consistent, so sizes can be trusted.</summary>
    public bool HasValidGeometry { get; init; }

    /// <summary>Why the allocation map cannot be read, or <see langword="null"/>.</summary>
    public string? Problem { get; init; }

    /// <summary>What a usable map leaves out (an external log, a realtime device), or <see langword="null"/>.</summary>
    public string? Remark { get; init; }

    /// <summary>Reads the superblock at <paramref name="offset"/>.</summary>
    /// <param name="disk">The disk.</param>
    /// <param name="offset">Where the file system starts.</param>
    /// <param name="length">The partition's length.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The volume, or <see langword="null"/> when there is no XFS magic.</returns>
    public static async ValueTask<XfsVolume?> ReadAsync(IBlockSource disk, long offset, long length, CancellationToken cancellationToken)
    {
        if (length < XfsSuperblock.MinimumSectorSize)
        {
            return null;
        }

        var sector = await DiskBytes.ReadAsync(disk, offset, XfsSuperblock.MinimumSectorSize, cancellationToken).ConfigureAwait(false);
        if (!XfsSuperblock.TryParse(sector, out var superblock))
        {
            return null;
        }

        var problem = superblock.ValidateGeometry();
        var validGeometry = problem is null;
        if (validGeometry && superblock.HasCrc)
        {
            if (superblock.SectorSize > XfsSuperblock.MinimumSectorSize)
            {
                sector = await DiskBytes.ReadAsync(disk, offset, superblock.SectorSize, cancellationToken).ConfigureAwait(false);
            }

            if (!XfsChecksum.Verify(sector, XfsSuperblock.CrcOffset))
            {
                problem = "XFS superblock fails its CRC";
            }
        }

        problem ??= Judge(superblock, length);
        return new XfsVolume
        {
            Superblock = superblock,
            HasValidGeometry = validGeometry,
            Problem = problem,
            Remark = problem is null ? Remarks(superblock) : null,
        };
    }

    private static string? Judge(in XfsSuperblock superblock, long length)
    {
        if (superblock.InProgress)
        {
            return "XFS mkfs did not finish (sb_inprogress)";
        }

        if ((superblock.IncompatibleFeatures & XfsSuperblock.IncompatNeedsRepair) != 0)
        {
            return "XFS file system is marked as needing xfs_repair";
        }

        var unknown = superblock.IncompatibleFeatures & ~XfsSuperblock.IncompatUnderstood;
        if (unknown != 0)
        {
            return $"XFS incompatible features 0x{unknown:x} are not understood";
        }

        if (superblock.TotalBytes > length)
        {
            return $"XFS file system ({superblock.TotalBytes} bytes) is larger than its partition ({length} bytes)";
        }

        return null;
    }

    private static string? Remarks(in XfsSuperblock superblock)
    {
        string? external = superblock.LogStart == 0 ? "external log device is not mapped" : null;
        string? realtime = superblock.RealtimeBlocks > 0 ? $"realtime device ({superblock.RealtimeBlocks} blocks) is not mapped" : null;
        return (external, realtime) switch
        {
            (null, null) => null,
            (not null, null) => "XFS " + external,
            (null, not null) => "XFS " + realtime,
            _ => $"XFS {external}; {realtime}",
        };
    }
}
