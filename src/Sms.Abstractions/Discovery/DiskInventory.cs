namespace Sms.Discovery;

/// <summary>One disk (device or image) as discovery understands it: its table, file systems and valid bytes.</summary>
public sealed record DiskInventory
{
    /// <summary>The device or image path.</summary>
    /// <value>The path.</value>
    public required string Path { get; init; }

    /// <summary>The size in bytes.</summary>
    /// <value>Bytes.</value>
    public required long SizeBytes { get; init; }

    /// <summary>The logical sector size.</summary>
    /// <value>Bytes.</value>
    public required int SectorSize { get; init; }

    /// <summary>The partition table.</summary>
    /// <value>Kind <see cref="PartitionTableKind.None"/> for an unpartitioned disk.</value>
    public required PartitionTable PartitionTable { get; init; }

    /// <summary>The file system on the whole disk, for an unpartitioned disk that holds one.</summary>
    /// <value>The file system, or <see langword="null"/>.</value>
    public FileSystemDescription? FileSystem { get; init; }

    /// <summary>The bytes block replication reads and sends: allocated blocks, tables, and whole partitions whose file system is not understood.</summary>
    /// <value>Bytes.</value>
    public required long ValidBytes { get; init; }

    /// <summary>The bytes that hold data at all (not holes).</summary>
    /// <value>Bytes.</value>
    public required long DataBytes { get; init; }

    /// <summary>How the valid blocks were found, and where the SDK fell back to holes and zero blocks.</summary>
    /// <value>Lines such as "partition 1: ext4 block bitmaps", "partition 2: LVM2 PV, not mapped: whole partition".</value>
    public IReadOnlyList<string> ValidBlockSources { get; init; } = [];
}
