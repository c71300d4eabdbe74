namespace Sms.Blocks;

/// <summary>A disk (or image) of a source server, as replication sees it.</summary>
/// <param name="Path">The device or image path.</param>
/// <param name="SizeBytes">The size in bytes.</param>
/// <param name="SectorSize">The logical sector size in bytes.</param>
public sealed record SourceDisk(string Path, long SizeBytes, int SectorSize)
{
    /// <summary>Whether the path names a block device rather than a regular file.</summary>
    /// <value><see langword="true"/> for <c>/dev/sdX</c>, loop devices and the like.</value>
    public bool IsBlockDevice { get; init; }

    /// <summary>The bytes that hold data (not holes, and only allocated blocks when a file-system map is known).</summary>
    /// <value>The sum of the data ranges; <see langword="null"/> when not computed.</value>
    public long? DataBytes { get; init; }
}
