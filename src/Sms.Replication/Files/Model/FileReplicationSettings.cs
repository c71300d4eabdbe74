using Sms.Replication;

namespace Sms.Files;

/// <summary>The settings of one file-level replication pass. Defaults suit a LAN or loopback; every one is validated.</summary>
public sealed record FileReplicationSettings
{
    /// <summary>The unit of change detection and transfer inside large files.</summary>
    public const int ChunkSize = 1 << 20;

    /// <summary>
    /// Glob patterns excluded from a full pass (the seeds' "Exclude Migration Paths", <c>tar.exclude.dir</c>). A pattern
    /// starting with <c>/</c> is anchored at the source root; one without matches at any depth; <c>*</c>, <c>?</c> and
    /// <c>[...]</c> stay within one path component and <c>**</c> crosses them; a trailing <c>/</c> matches directories only.
    /// An excluded directory is not descended into.
    /// </summary>
    /// <value>Default empty.</value>
    public IReadOnlyList<string> ExcludeFromFullCopy { get; init; } = [];

    /// <summary>
    /// Glob patterns excluded from incremental passes (the seeds' "Exclude Sync Paths", <c>rsync.exclude.dir</c>): their
    /// changes are not sent and their copies on the target are neither updated nor deleted.
    /// </summary>
    /// <value>Default empty.</value>
    public IReadOnlyList<string> ExcludeFromSync { get; init; } = [];

    /// <summary>
    /// Whether to add the seeds' exclusions for a live Linux root (<see cref="FileExclusions.LiveRoot"/>) to both lists;
    /// <see langword="null"/> adds them exactly when the source directory is <c>/</c>.
    /// </summary>
    /// <value>Default <see langword="null"/>.</value>
    public bool? LiveRootExclusions { get; init; }

    /// <summary>What to check after the pass.</summary>
    /// <value>Default <see cref="FileVerifyMode.None"/>.</value>
    public FileVerifyMode Verify { get; init; }

    /// <summary>The compression of batches and chunks on the wire.</summary>
    /// <value>Default <see cref="CompressionKind.Lz4"/>.</value>
    public CompressionKind Compression { get; init; } = CompressionKind.Lz4;

    /// <summary>
    /// Compress only while the link is the bottleneck (the sender has a backlog), as the block engine does; on a fast
    /// link, data goes out as is. When <see langword="false"/>, everything is compressed.
    /// </summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool AdaptiveCompression { get; init; } = true;

    /// <summary>The wire rate limit in megabits per second; 0 means unlimited.</summary>
    /// <value>Default 0.</value>
    public double RateLimitMbps { get; init; }

    /// <summary>
    /// Daily windows with their own rate limit, in the local time of the replicator's <see cref="TimeProvider"/>;
    /// <see cref="RateLimitMbps"/> applies outside every window. A running pass switches rate when a window opens or closes.
    /// </summary>
    /// <value>Default empty; windows may wrap midnight and must not overlap.</value>
    public IReadOnlyList<RateLimitWindow> RateLimitWindows { get; init; } = [];

    /// <summary>How many threads walk the tree and read small files.</summary>
    /// <value>Default: twice the processor count, between 4 and 16 (a walker waits on the kernel as often as it computes).</value>
    public int Walkers { get; init; } = Math.Clamp(Environment.ProcessorCount * 2, 4, 16);

    /// <summary>How many large files are read (and in flight) at once.</summary>
    /// <value>Default 2.</value>
    public int LargeFileWorkers { get; init; } = 2;

    /// <summary>Files up to this size travel whole inside batches; larger ones are chunked and pipelined.</summary>
    /// <value>Default 1 MiB; between 0 and <see cref="BatchBytes"/>.</value>
    public int InlineFileLimit { get; init; } = ChunkSize;

    /// <summary>The target size of a batch of small files and entries (one frame).</summary>
    /// <value>Default 1 MiB; between 64 KiB and 1 MiB.</value>
    public int BatchBytes { get; init; } = ChunkSize;

    /// <summary>How many data frames may wait for the target's acknowledgement before the source pauses.</summary>
    /// <value>Default 256.</value>
    public int MaxUnacknowledgedFrames { get; init; } = 256;

    /// <summary>How many batch and chunk buffers the source may fill ahead of the sender; with the batch size this bounds memory.</summary>
    /// <value>Default 16; at least <see cref="Walkers"/> + <see cref="LargeFileWorkers"/> + 2.</value>
    public int MaxBuffers { get; init; } = 16;

    /// <summary>How often a file that keeps changing while it is read is read again before it is sent as last read.</summary>
    /// <value>Default 3.</value>
    public int ChangedFileRetries { get; init; } = 3;

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    /// <exception cref="ArgumentException">A pattern is empty or malformed.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(ExcludeFromFullCopy, nameof(ExcludeFromFullCopy));
        ArgumentNullException.ThrowIfNull(ExcludeFromSync, nameof(ExcludeFromSync));
        if (!Enum.IsDefined(Verify))
        {
            throw new ArgumentOutOfRangeException(nameof(Verify), Verify, "Unknown verify mode.");
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
        ArgumentOutOfRangeException.ThrowIfLessThan(Walkers, 1, nameof(Walkers));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Walkers, 64, nameof(Walkers));
        ArgumentOutOfRangeException.ThrowIfLessThan(LargeFileWorkers, 1, nameof(LargeFileWorkers));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(LargeFileWorkers, 16, nameof(LargeFileWorkers));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchBytes, 64 * 1024, nameof(BatchBytes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(BatchBytes, ChunkSize, nameof(BatchBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(InlineFileLimit, 0, nameof(InlineFileLimit));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(InlineFileLimit, BatchBytes, nameof(InlineFileLimit));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxUnacknowledgedFrames, 1, nameof(MaxUnacknowledgedFrames));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBuffers, Walkers + LargeFileWorkers + 2, nameof(MaxBuffers));
        ArgumentOutOfRangeException.ThrowIfLessThan(ChangedFileRetries, 0, nameof(ChangedFileRetries));
        foreach (var pattern in ExcludeFromFullCopy)
        {
            _ = GlobPattern.Parse(pattern);
        }

        foreach (var pattern in ExcludeFromSync)
        {
            _ = GlobPattern.Parse(pattern);
        }
    }
}
