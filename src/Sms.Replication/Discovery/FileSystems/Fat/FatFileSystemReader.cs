using System.Globalization;
using Sms.Blocks;

namespace Sms.Discovery.FileSystems.Fat;

/// <summary>
/// Reads FAT12, FAT16 and FAT32 volumes: the BPB, the label and serial number (as blkid prints them), and the
/// allocation map from the FAT. Allocated are the reserved sectors, every FAT copy, the fixed root directory
/// (FAT12/16) and each data cluster whose FAT entry is non-zero. A volume that claims more sectors than its
/// partition holds is described but not mapped (nothing is read past the partition).
/// </summary>
public sealed class FatFileSystemReader : IFileSystemReader
{
    /// <summary>Why the map is not used when the BPB claims more sectors than the partition has.</summary>
    public const string LargerThanPartitionNote = "the FAT file system is larger than its partition: the whole partition is replicated";

    private const int MaxRootLabelScan = 64 * 1024;

    /// <inheritdoc />
    public async ValueTask<FileSystemDescription?> ProbeAsync(IBlockSource disk, long offset, long length, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(disk);
        var bootSector = await ReadBootSectorAsync(disk, offset, cancellationToken).ConfigureAwait(false);
        if (bootSector is null)
        {
            return null;
        }

        var description = new FileSystemDescription
        {
            Kind = FileSystemKind.Vfat,
            Label = bootSector.Label,
            Uuid = bootSector.VolumeId is { } id ? FormatSerial(id) : null,
            BlockSize = bootSector.ClusterBytes,
            TotalBytes = bootSector.TotalBytes,
        };
        if (bootSector.TotalBytes > length)
        {
            return description with { Note = LargerThanPartitionNote };
        }

        var label = await ReadRootLabelAsync(disk, offset, bootSector, cancellationToken).ConfigureAwait(false) ?? bootSector.Label;
        var clusters = await FatAllocationScanner.ScanAsync(disk, offset, bootSector, ranges: null, cancellationToken).ConfigureAwait(false);
        return description with
        {
            Label = label,
            UsedBytes = bootSector.FixedAreaBytes + (clusters * bootSector.ClusterBytes),
        };
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<BlockRange>?> GetAllocatedRangesAsync(IBlockSource disk, long offset, long length, FileSystemDescription description, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(disk);
        ArgumentNullException.ThrowIfNull(description);
        var bootSector = await ReadBootSectorAsync(disk, offset, cancellationToken).ConfigureAwait(false);
        if (bootSector is null || bootSector.TotalBytes > length)
        {
            return null;
        }

        var ranges = new List<BlockRange> { new(0, bootSector.FixedAreaBytes) };
        await FatAllocationScanner.ScanAsync(disk, offset, bootSector, ranges, cancellationToken).ConfigureAwait(false);
        return BlockRanges.Coalesce(ranges);
    }

    /// <summary>Formats a volume id as blkid and fsck.fat print it: <c>XXXX-XXXX</c>, upper case.</summary>
    /// <param name="volumeId">The 32-bit id.</param>
    /// <returns>The serial.</returns>
    internal static string FormatSerial(uint volumeId)
        => string.Create(CultureInfo.InvariantCulture, $"{volumeId >> 16:X4}-{volumeId & 0xFFFF:X4}");

    private static async ValueTask<FatBootSector?> ReadBootSectorAsync(IBlockSource disk, long offset, CancellationToken cancellationToken)
    {
        var sector = new byte[FatBootSector.Size];
        if (!await DiskBytes.TryReadExactAsync(disk, offset, sector, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return FatBootSector.TryParse(sector, out var bootSector) ? bootSector : null;
    }

    private static async ValueTask<string?> ReadRootLabelAsync(IBlockSource disk, long offset, FatBootSector bootSector, CancellationToken cancellationToken)
    {
        long start;
        long bytes;
        if (bootSector.Type == FatType.Fat32)
        {
            if (bootSector.RootCluster < 2 || bootSector.RootCluster >= bootSector.ClusterCount + 2)
            {
                return null;
            }

            start = bootSector.ClusterOffset(bootSector.RootCluster);
            bytes = bootSector.ClusterBytes;
        }
        else
        {
            start = bootSector.RootDirectorySector * bootSector.BytesPerSector;
            bytes = bootSector.RootEntries * 32L;
        }

        var directory = await DiskBytes.ReadAsync(disk, offset + start, (int)Math.Min(bytes, MaxRootLabelScan), cancellationToken).ConfigureAwait(false);
        return FatLabels.TryFindInDirectory(directory, out var label) ? label : null;
    }
}
