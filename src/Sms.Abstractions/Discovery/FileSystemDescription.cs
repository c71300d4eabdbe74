namespace Sms.Discovery;

/// <summary>A file system found by its superblock.</summary>
public sealed record FileSystemDescription
{
    /// <summary>The kind.</summary>
    /// <value>The file system kind.</value>
    public required FileSystemKind Kind { get; init; }

    /// <summary>The volume label.</summary>
    /// <value>The label, or <see langword="null"/> when it has none.</value>
    public string? Label { get; init; }

    /// <summary>The file system UUID (or serial number for FAT and NTFS), as the tools print it.</summary>
    /// <value>The id, or <see langword="null"/>.</value>
    public string? Uuid { get; init; }

    /// <summary>The allocation unit (block or cluster size) in bytes.</summary>
    /// <value>Bytes; 0 when not known.</value>
    public int BlockSize { get; init; }

    /// <summary>The size of the file system in bytes.</summary>
    /// <value>Bytes.</value>
    public long TotalBytes { get; init; }

    /// <summary>The bytes the file system has allocated (its valid blocks), when its allocation map was read.</summary>
    /// <value>Bytes, or <see langword="null"/> when the map is not understood.</value>
    public long? UsedBytes { get; init; }

    /// <summary>Why the allocation map is not used, when it is not (an unsupported feature, say).</summary>
    /// <value>A short note, or <see langword="null"/>.</value>
    public string? Note { get; init; }
}
