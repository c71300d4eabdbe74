namespace Sms.Migration;

/// <summary>Progress of one source disk (or the file tree) of a task.</summary>
public sealed record DiskProgress
{
    /// <summary>The disk's index in the source's disk order (0 for a file tree).</summary>
    /// <value>From 0.</value>
    public required int Index { get; init; }

    /// <summary>What the pass is: <c>full</c> or <c>incremental</c>.</summary>
    /// <value>The mode of the current or last pass.</value>
    public string? Mode { get; init; }

    /// <summary>The bytes this pass must read (valid bytes of a disk, file bytes of a tree).</summary>
    /// <value>Bytes.</value>
    public long TotalBytes { get; init; }

    /// <summary>The bytes read so far this pass.</summary>
    /// <value>Bytes.</value>
    public long BytesScanned { get; init; }

    /// <summary>The bytes sent on the wire so far this pass.</summary>
    /// <value>Bytes.</value>
    public long BytesSent { get; init; }

    /// <summary>The bytes the target acknowledged as written this pass.</summary>
    /// <value>Bytes.</value>
    public long BytesWritten { get; init; }

    /// <summary>The read rate over the last 5 seconds, as the seeds compute it.</summary>
    /// <value>Bytes per second.</value>
    public double BytesPerSecond { get; init; }

    /// <summary>The remaining time: remaining bytes ÷ rate.</summary>
    /// <value><see langword="null"/> while unknown.</value>
    public TimeSpan? Eta { get; init; }

    /// <summary>Bytes on the wire ÷ bytes of changed data sent: below 1 when compression pays.</summary>
    /// <value><see langword="null"/> while nothing was sent.</value>
    public double? CompressRatio { get; init; }

    /// <summary>Whether the pass of the current step is complete for this disk (a resumed step skips it).</summary>
    /// <value><see langword="true"/> once done.</value>
    public bool PassComplete { get; init; }

    /// <summary>Whether the last pass was verified end to end.</summary>
    /// <value><see langword="null"/> when not verified.</value>
    public bool? Verified { get; init; }
}
