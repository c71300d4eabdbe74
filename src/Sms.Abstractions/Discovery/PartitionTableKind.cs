namespace Sms.Discovery;

/// <summary>How a disk is partitioned.</summary>
public enum PartitionTableKind
{
    /// <summary>No partition table: the disk is one file system, or empty, or unknown.</summary>
    None = 0,

    /// <summary>An MBR (DOS) table, with extended and logical partitions.</summary>
    Mbr = 1,

    /// <summary>A GUID partition table (behind a protective MBR).</summary>
    Gpt = 2,
}
