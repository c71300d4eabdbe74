using Sms.Blocks;
using Sms.Discovery.FileSystems;
using Sms.Discovery.FileSystems.Btrfs;
using Sms.Discovery.FileSystems.Ext;
using Sms.Discovery.FileSystems.Fat;
using Sms.Discovery.FileSystems.Lvm;
using Sms.Discovery.FileSystems.Ntfs;
using Sms.Discovery.FileSystems.Swap;
using Sms.Discovery.FileSystems.Xfs;
using Sms.Discovery.Partitions;

namespace Sms.Discovery;

/// <summary>
/// Understands a disk: reads its partition table, identifies each partition's file system and reads the file
/// systems' allocation maps. The result is an inventory and the map of valid blocks that block replication reads:
/// allocated blocks, partition tables, the boot-loader area before the first partition, and whole partitions
/// whose file system is not understood (or is LVM); free space is left out.
/// </summary>
public sealed class DiskInspector
{
    /// <summary>The boot-loader area kept before the first partition (GRUB's core image lives there on MBR disks).</summary>
    public const long BootArea = 1L << 20;

    private readonly IReadOnlyList<IFileSystemReader> _readers;

    /// <summary>Creates an inspector with every reader the SDK has.</summary>
    public DiskInspector()
        : this(DefaultReaders())
    {
    }

    /// <summary>Creates an inspector with chosen readers, tried in order.</summary>
    /// <param name="readers">The file-system readers.</param>
    public DiskInspector(IReadOnlyList<IFileSystemReader> readers)
    {
        ArgumentNullException.ThrowIfNull(readers);
        _readers = readers;
    }

    /// <summary>The readers the SDK ships, most specific first.</summary>
    /// <returns>A new list.</returns>
    public static IReadOnlyList<IFileSystemReader> DefaultReaders() =>
    [
        new ExtFileSystemReader(),
        new XfsFileSystemReader(),
        new BtrfsFileSystemReader(),
        new NtfsFileSystemReader(),
        new FatFileSystemReader(),
        new SwapFileSystemReader(),
        new LvmPhysicalVolumeReader(),
    ];

    /// <summary>Inspects a disk.</summary>
    /// <param name="disk">The disk or image; its own data ranges (holes) are taken into account.</param>
    /// <param name="cancellationToken">Cancels the inspection.</param>
    /// <returns>The inventory and the valid-block map.</returns>
    public async Task<(DiskInventory Inventory, IAllocationMap ValidBlocks)> InspectAsync(IBlockSource disk, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(disk);
        var table = await PartitionTableReader.ReadAsync(disk, cancellationToken).ConfigureAwait(false);
        var valid = new List<BlockRange>(table.MetadataRanges);
        var sources = new List<string>();
        FileSystemDescription? wholeDisk = null;
        var partitions = new List<PartitionDescription>(table.Partitions.Count);
        if (table.Kind == PartitionTableKind.None)
        {
            var (fs, ranges, how) = await MapAsync(disk, 0, disk.Length, cancellationToken).ConfigureAwait(false);
            wholeDisk = fs;
            valid.AddRange(ranges);
            sources.Add($"whole disk: {how}");
        }
        else
        {
            var firstStart = disk.Length;
            foreach (var partition in table.Partitions)
            {
                if (partition.IsExtendedContainer)
                {
                    partitions.Add(partition);
                    continue;
                }

                firstStart = Math.Min(firstStart, partition.Start);
                var length = Math.Max(0, Math.Min(partition.Length, disk.Length - partition.Start));
                var (fs, ranges, how) = await MapAsync(disk, partition.Start, length, cancellationToken).ConfigureAwait(false);
                partitions.Add(partition with { FileSystem = fs });
                valid.AddRange(ranges);
                sources.Add($"partition {partition.Number}: {how}");
            }

            valid.Add(new BlockRange(0, Math.Min(firstStart, BootArea)));
        }

        var coalesced = BlockRanges.Clip(BlockRanges.Coalesce(valid), disk.Length);
        var data = await disk.GetDataRangesAsync(cancellationToken).ConfigureAwait(false);
        var validData = BlockRanges.Intersect(coalesced, data);
        var inventory = new DiskInventory
        {
            Path = disk.Name,
            SizeBytes = disk.Length,
            SectorSize = disk.SectorSize,
            PartitionTable = table with { Partitions = partitions },
            FileSystem = wholeDisk,
            ValidBytes = BlockRanges.TotalLength(validData),
            DataBytes = BlockRanges.TotalLength(data),
            ValidBlockSources = sources,
        };
        return (inventory, new RangeAllocationMap(coalesced, string.Join("; ", sources)));
    }

    /// <summary>
    /// Opens a device or image as a block source that reads only its valid blocks: the file systems' allocated
    /// blocks, the partition tables and boot area, and whole partitions whose file system is not understood.
    /// </summary>
    /// <param name="path">The device or image.</param>
    /// <param name="cancellationToken">Cancels the inspection.</param>
    /// <returns>The source (dispose it) and the disk's inventory.</returns>
    /// <exception cref="SmsException">The path cannot be read (<see cref="SmsErrorCode.SourceReadFailed"/>).</exception>
    public async Task<(FileBlockSource Source, DiskInventory Inventory)> OpenValidBlocksAsync(string path, CancellationToken cancellationToken = default)
    {
        IAllocationMap map;
        DiskInventory inventory;
        var probe = FileBlockSource.Open(path);
        await using (probe.ConfigureAwait(false))
        {
            (inventory, map) = await InspectAsync(probe, cancellationToken).ConfigureAwait(false);
        }

        return (FileBlockSource.Open(path, map), inventory);
    }

    private async Task<(FileSystemDescription Fs, IReadOnlyList<BlockRange> Ranges, string How)> MapAsync(IBlockSource disk, long offset, long length, CancellationToken cancellationToken)
    {
        var whole = new[] { new BlockRange(offset, length) };
        foreach (var reader in _readers)
        {
            var fs = await reader.ProbeAsync(disk, offset, length, cancellationToken).ConfigureAwait(false);
            if (fs is null)
            {
                continue;
            }

            var ranges = await reader.GetAllocatedRangesAsync(disk, offset, length, fs, cancellationToken).ConfigureAwait(false);
            if (ranges is null)
            {
                return (fs, whole, $"{Name(fs.Kind)}, allocation not mapped ({fs.Note ?? "not supported"}): whole partition, holes and zero blocks skipped");
            }

            var shifted = new List<BlockRange>(ranges.Count);
            foreach (var range in ranges)
            {
                shifted.Add(new BlockRange(offset + range.Offset, range.Length));
            }

            var clipped = BlockRanges.Intersect(BlockRanges.Coalesce(shifted), whole);
            return (fs with { UsedBytes = fs.UsedBytes ?? BlockRanges.TotalLength(clipped) }, clipped, $"{Name(fs.Kind)} allocation map");
        }

        return (new FileSystemDescription { Kind = FileSystemKind.Unknown, TotalBytes = length, Note = "no known file system" }, whole, "no known file system: whole partition, holes and zero blocks skipped");
    }

    private static string Name(FileSystemKind kind) => kind switch
    {
        FileSystemKind.LvmPhysicalVolume => "LVM2 PV",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private sealed class RangeAllocationMap(IReadOnlyList<BlockRange> ranges, string description) : IAllocationMap
    {
        public IReadOnlyList<BlockRange> AllocatedRanges { get; } = ranges;

        public string Description { get; } = description;
    }
}
