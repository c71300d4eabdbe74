using System.Globalization;
using Sms.Discovery;

namespace Sms.Fixups;

/// <summary>A file system (or something else) found on one of the target's disks: a partition, or a whole unpartitioned disk.</summary>
public sealed record TargetVolume
{
    /// <summary>The disk's position among the target's disks, which is the source's disk order (0 = the first disk, <c>sda</c>/<c>vda</c>).</summary>
    /// <value>0 or more.</value>
    public required int DiskIndex { get; init; }

    /// <summary>The partition number as Linux counts it (<c>sda1</c> = 1, logical MBR partitions from 5); 0 for a whole unpartitioned disk.</summary>
    /// <value>0 or more.</value>
    public required int PartitionNumber { get; init; }

    /// <summary>The disk's image file (or device).</summary>
    /// <value>A path.</value>
    public required string ImagePath { get; init; }

    /// <summary>Where the volume starts in the image.</summary>
    /// <value>A byte offset.</value>
    public required long Offset { get; init; }

    /// <summary>The volume's length.</summary>
    /// <value>Bytes.</value>
    public required long Length { get; init; }

    /// <summary>What the volume holds.</summary>
    /// <value>The file-system kind, <see cref="FileSystemKind.Unknown"/> when not recognised.</value>
    public required FileSystemKind Kind { get; init; }

    /// <summary>The file system's UUID, as blkid prints it (what <c>UUID=</c> in fstab names).</summary>
    /// <value>The UUID, or <see langword="null"/>.</value>
    public string? Uuid { get; init; }

    /// <summary>The file system's label.</summary>
    /// <value>The label, or <see langword="null"/>.</value>
    public string? Label { get; init; }

    /// <summary>Whether the SDK can change this volume's files without mounting it (ext2/3/4).</summary>
    /// <value><see langword="true"/> for ext2, ext3 and ext4.</value>
    public bool IsExt => Kind is FileSystemKind.Ext2 or FileSystemKind.Ext3 or FileSystemKind.Ext4;

    /// <summary>A short name for reports: "disk 0 partition 1", "disk 1".</summary>
    /// <returns>The name.</returns>
    public override string ToString() => PartitionNumber == 0
        ? string.Create(CultureInfo.InvariantCulture, $"disk {DiskIndex}")
        : string.Create(CultureInfo.InvariantCulture, $"disk {DiskIndex} partition {PartitionNumber}");
}
