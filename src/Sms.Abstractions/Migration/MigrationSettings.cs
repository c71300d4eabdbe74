using Sms.Replication;

namespace Sms.Migration;

/// <summary>How a task migrates: the seeds' migration settings (the parts a migration template pre-fills).</summary>
public sealed record MigrationSettings
{
    /// <summary>The shortest interval between automatic syncs (Alibaba SMC: 1 hour).</summary>
    public static readonly TimeSpan MinSyncInterval = TimeSpan.FromHours(1);

    /// <summary>The longest interval between automatic syncs (Alibaba SMC: 7 days).</summary>
    public static readonly TimeSpan MaxSyncInterval = TimeSpan.FromDays(7);

    /// <summary>After the full replication, keep syncing until launched (<see langword="true"/>) or launch at once.</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool ContinuousSync { get; init; } = true;

    /// <summary>How often continuous sync runs by itself; <see langword="null"/> for on demand only.</summary>
    /// <value>Between 1 hour and 7 days, or <see langword="null"/> (the default).</value>
    public TimeSpan? SyncInterval { get; init; }

    /// <summary>Start the target once launched (the seeds' Start Target Upon Launch); otherwise it stays stopped.</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool StartTargetOnLaunch { get; init; } = true;

    /// <summary>Wire compression.</summary>
    /// <value>Default LZ4.</value>
    public CompressionKind Compression { get; init; } = CompressionKind.Lz4;

    /// <summary>Check every pass end to end after it ran (block hashes or file hashes on both sides).</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool VerifyEachPass { get; init; } = true;

    /// <summary>The rate and resource limits of the agent.</summary>
    /// <value>Unlimited by default.</value>
    public MigrationLimits Limits { get; init; } = new();

    /// <summary>File level: glob patterns left out of the full copy (the seeds' Exclude Migration Paths).</summary>
    /// <value>Empty by default.</value>
    public IReadOnlyList<string> ExcludeFromFullCopy { get; init; } = [];

    /// <summary>File level: glob patterns left out of syncs (the seeds' Exclude Sync Paths).</summary>
    /// <value>Empty by default.</value>
    public IReadOnlyList<string> ExcludeFromSync { get; init; } = [];

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (SyncInterval is { } interval && (interval < MinSyncInterval || interval > MaxSyncInterval))
        {
            throw new ArgumentOutOfRangeException(nameof(SyncInterval), interval, "The sync interval must be between 1 hour and 7 days.");
        }

        if (double.IsNaN(Limits.RateLimitMbps) || Limits.RateLimitMbps < 0 || Limits.RateLimitMbps > 100_000)
        {
            throw new ArgumentOutOfRangeException(nameof(Limits), Limits.RateLimitMbps, "The rate limit must be 0 (unlimited) or a positive number of Mbit/s.");
        }

        RateLimitWindow.Validate(Limits.RateWindows, nameof(Limits));

        if (Limits.CpuPercent is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(Limits), Limits.CpuPercent, "The CPU limit is a percentage from 1 to 100.");
        }

        if (Limits.MemoryMiB is < 16)
        {
            throw new ArgumentOutOfRangeException(nameof(Limits), Limits.MemoryMiB, "The memory limit must be at least 16 MiB.");
        }
    }
}
