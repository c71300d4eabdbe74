namespace Sms.Discovery;

/// <summary>A partition table read from a disk.</summary>
public sealed record PartitionTable
{
    /// <summary>The kind.</summary>
    /// <value>MBR, GPT or none.</value>
    public required PartitionTableKind Kind { get; init; }

    /// <summary>The disk id: the GPT disk GUID, or the MBR signature as 8 hex digits.</summary>
    /// <value>The id, or <see langword="null"/>.</value>
    public string? DiskId { get; init; }

    /// <summary>The partitions, by number.</summary>
    /// <value>Empty when there is no table.</value>
    public IReadOnlyList<PartitionDescription> Partitions { get; init; } = [];

    /// <summary>Byte ranges the table itself occupies (MBR and EBR sectors, GPT headers and entry arrays).</summary>
    /// <value>The ranges that must be replicated for the table to survive.</value>
    public IReadOnlyList<Blocks.BlockRange> MetadataRanges { get; init; } = [];

    /// <summary>Problems found and worked around, for example "primary GPT header corrupt; backup used".</summary>
    /// <value>Empty when none.</value>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
