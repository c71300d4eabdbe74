namespace Sms.Replication;

/// <summary>The settings of one replication session. Defaults suit a LAN or loopback; every one is validated.</summary>
public sealed record ReplicationSettings
{
    /// <summary>The default block size: 1 MiB (see the benchmarks in <c>benchmarks/</c> for why).</summary>
    public const int DefaultBlockSize = 1 << 20;

    /// <summary>The smallest block size allowed.</summary>
    public const int MinBlockSize = 64 * 1024;

    /// <summary>The largest block size allowed.</summary>
    public const int MaxBlockSize = 8 << 20;

    /// <summary>The unit of change detection and transfer, a power of two.</summary>
    /// <value>Default 1 MiB; between 64 KiB and 8 MiB.</value>
    public int BlockSize { get; init; } = DefaultBlockSize;

    /// <summary>The compression used on the wire.</summary>
    /// <value>Default <see cref="CompressionKind.Lz4"/>.</value>
    public CompressionKind Compression { get; init; } = CompressionKind.Lz4;

    /// <summary>
    /// Compress only while it makes the pass faster: the source measures the acknowledged throughput with and
    /// without compression in turns and keeps the faster (compression wins on slow links, loses on fast ones and
    /// when both ends share a CPU). When <see langword="false"/>, every changed block is compressed.
    /// </summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool AdaptiveCompression { get; init; } = true;

    /// <summary>The wire rate limit in megabits per second; 0 means unlimited.</summary>
    /// <value>Default 0.</value>
    public double RateLimitMbps { get; init; }

    /// <summary>
    /// Daily windows with their own rate limit (the seeds' "time-period rate limits"), in the local time of the
    /// replicator's <see cref="TimeProvider"/>; <see cref="RateLimitMbps"/> applies outside every window. A running pass
    /// switches rate when a window opens or closes.
    /// </summary>
    /// <value>Default empty; windows may wrap midnight and must not overlap.</value>
    public IReadOnlyList<RateLimitWindow> RateLimitWindows { get; init; } = [];

    /// <summary>Whether to compare every valid block's hash on both sides after the pass.</summary>
    /// <value>Default <see langword="false"/>.</value>
    public bool Verify { get; init; }

    /// <summary>Force a full pass: the target is emptied first and every valid block is sent.</summary>
    /// <value>Default <see langword="false"/>.</value>
    public bool ForceFull { get; init; }

    /// <summary>How many workers hash and compress blocks in parallel.</summary>
    /// <value>Default: the processor count, at least 1 and at most 16.</value>
    public int Workers { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 16);

    /// <summary>How many block buffers may be in use at once; with <see cref="BlockSize"/> this bounds memory.</summary>
    /// <value>Default 8 (the seeds use 6 × 1–8 MB); at least <see cref="Workers"/> + 2.</value>
    public int MaxBuffers { get; init; } = 8;

    /// <summary>How many sent blocks may wait for the target's acknowledgement before the source pauses.</summary>
    /// <value>Default 256.</value>
    public int MaxUnacknowledgedBlocks { get; init; } = 256;

    /// <summary>How often the receiver makes its writes durable (fsync) and records a checkpoint.</summary>
    /// <value>Default 2 seconds.</value>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    /// <exception cref="ArgumentException">A rate window is empty or overlaps another.</exception>
    public void Validate()
    {
        if (BlockSize < MinBlockSize || BlockSize > MaxBlockSize || (BlockSize & (BlockSize - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(BlockSize), BlockSize, $"The block size must be a power of two between {MinBlockSize} and {MaxBlockSize} bytes.");
        }

        if (!Enum.IsDefined(Compression))
        {
            throw new ArgumentOutOfRangeException(nameof(Compression), Compression, "Unknown compression.");
        }

        if (double.IsNaN(RateLimitMbps) || RateLimitMbps < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(RateLimitMbps), RateLimitMbps, "The rate limit must be 0 (unlimited) or positive.");
        }

        RateLimitWindow.Validate(RateLimitWindows, nameof(RateLimitWindows));
        ArgumentOutOfRangeException.ThrowIfLessThan(Workers, 1, nameof(Workers));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Workers, 64, nameof(Workers));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBuffers, Workers + 2, nameof(MaxBuffers));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxUnacknowledgedBlocks, 1, nameof(MaxUnacknowledgedBlocks));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CheckpointInterval, TimeSpan.Zero, nameof(CheckpointInterval));
    }
}
