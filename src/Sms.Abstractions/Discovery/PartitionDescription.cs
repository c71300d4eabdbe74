namespace Sms.Discovery;

/// <summary>A partition as its table describes it.</summary>
public sealed record PartitionDescription
{
    /// <summary>The partition number as Linux names it (sda1 = 1; logical MBR partitions start at 5).</summary>
    /// <value>The number.</value>
    public required int Number { get; init; }

    /// <summary>The first byte on the disk.</summary>
    /// <value>A byte offset.</value>
    public required long Start { get; init; }

    /// <summary>The length in bytes.</summary>
    /// <value>Bytes.</value>
    public required long Length { get; init; }

    /// <summary>The type: a GUID for GPT (lowercase, dashed), a hex byte for MBR (for example <c>0x83</c>).</summary>
    /// <value>The type id.</value>
    public required string Type { get; init; }

    /// <summary>The GPT partition name, or <see langword="null"/>.</summary>
    /// <value>The name.</value>
    public string? Name { get; init; }

    /// <summary>The GPT unique partition GUID, or <see langword="null"/>.</summary>
    /// <value>The GUID as text.</value>
    public string? UniqueId { get; init; }

    /// <summary>Whether the MBR boot flag is set.</summary>
    /// <value><see langword="true"/> for a bootable MBR partition.</value>
    public bool Bootable { get; init; }

    /// <summary>Whether this is an MBR extended partition (a container of logical ones, not data).</summary>
    /// <value><see langword="true"/> for the container.</value>
    public bool IsExtendedContainer { get; init; }

    /// <summary>What the partition holds.</summary>
    /// <value>The file system, or <see langword="null"/> when not probed.</value>
    public FileSystemDescription? FileSystem { get; init; }
}
