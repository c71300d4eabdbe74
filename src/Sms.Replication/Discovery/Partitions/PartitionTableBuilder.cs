using Sms.Blocks;

namespace Sms.Discovery.Partitions;

/// <summary>
/// Collects what a table reader finds (partitions, metadata sectors, warnings) and keeps every partition on the disk
/// the way Linux does: an entry that starts beyond the end is dropped, one that runs past it is truncated.
/// </summary>
internal sealed class PartitionTableBuilder
{
    private readonly List<PartitionDescription> _partitions = [];
    private readonly List<BlockRange> _metadata = [];
    private readonly List<string> _warnings;

    /// <summary>Creates a builder for a disk.</summary>
    /// <param name="diskLength">The disk's length in bytes.</param>
    /// <param name="lbaSize">The logical sector size the table's LBAs count in.</param>
    /// <param name="warnings">Warnings found so far, kept in front of the ones to come.</param>
    public PartitionTableBuilder(long diskLength, int lbaSize, IEnumerable<string>? warnings = null)
    {
        DiskLength = diskLength;
        LbaSize = lbaSize;
        DiskSectors = diskLength / lbaSize;
        _warnings = warnings is null ? [] : [.. warnings];
    }

    /// <summary>Gets the disk's length in bytes.</summary>
    public long DiskLength { get; }

    /// <summary>Gets the logical sector size.</summary>
    public int LbaSize { get; }

    /// <summary>Gets the number of whole logical sectors on the disk.</summary>
    public long DiskSectors { get; }

    /// <summary>Gets the partitions added so far.</summary>
    public IReadOnlyList<PartitionDescription> Partitions => _partitions;

    /// <summary>Gets the warnings so far.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>Records a problem that was worked around.</summary>
    /// <param name="warning">The text.</param>
    public void Warn(string warning) => _warnings.Add(warning);

    /// <summary>Records sectors the table itself occupies (clipped to the disk when the table is built).</summary>
    /// <param name="lba">The first sector.</param>
    /// <param name="sectors">How many.</param>
    public void AddMetadata(long lba, long sectors)
    {
        if (lba >= 0 && lba < DiskSectors && sectors > 0)
        {
            _metadata.Add(new BlockRange(lba * LbaSize, Math.Min(sectors, DiskSectors - lba) * LbaSize));
        }
    }

    /// <summary>Fits a partition to the disk, warning when it does not fit.</summary>
    /// <param name="number">The partition number, for messages.</param>
    /// <param name="firstLba">The first sector.</param>
    /// <param name="sectorCount">The number of sectors.</param>
    /// <param name="start">The first byte.</param>
    /// <param name="length">The length in bytes, truncated at the end of the disk.</param>
    /// <returns><see langword="false"/> when the partition starts beyond the end of the disk (it is then left out).</returns>
    public bool TryFit(int number, ulong firstLba, ulong sectorCount, out long start, out long length)
    {
        start = 0;
        length = 0;
        if (firstLba >= (ulong)DiskSectors)
        {
            Warn($"partition {number} starts at sector {firstLba}, beyond the end of the disk ({DiskSectors} sectors); it was left out");
            return false;
        }

        var room = (ulong)DiskSectors - firstLba;
        if (sectorCount > room)
        {
            Warn($"partition {number} ({sectorCount} sectors from sector {firstLba}) runs past the end of the disk; it was truncated to {room} sectors");
            sectorCount = room;
        }

        start = (long)firstLba * LbaSize;
        length = (long)sectorCount * LbaSize;
        return true;
    }

    /// <summary>Adds a partition (already fitted with <see cref="TryFit"/>).</summary>
    /// <param name="partition">The partition.</param>
    public void Add(PartitionDescription partition) => _partitions.Add(partition);

    /// <summary>Builds the table.</summary>
    /// <param name="kind">The table kind.</param>
    /// <param name="diskId">The disk id.</param>
    /// <returns>The table, with coalesced metadata ranges.</returns>
    public PartitionTable Build(PartitionTableKind kind, string? diskId)
        => new()
        {
            Kind = kind,
            DiskId = diskId,
            Partitions = [.. _partitions],
            MetadataRanges = BlockRanges.Coalesce(_metadata),
            Warnings = [.. _warnings],
        };
}
