using Sms.Replication;

namespace Sms.Migration;

/// <summary>Limits of the source agent while it migrates (the seeds' Set Migration Rate and Set Migration Limits).</summary>
public sealed record MigrationLimits
{
    /// <summary>The wire rate limit in Mbit/s; 0 means unlimited.</summary>
    /// <value>Default 0.</value>
    public double RateLimitMbps { get; init; }

    /// <summary>Daily windows with their own rate (for example 20 Mbit/s from 09:00 to 18:00); outside them <see cref="RateLimitMbps"/> applies.</summary>
    /// <value>Empty by default.</value>
    public IReadOnlyList<RateLimitWindow> RateWindows { get; init; } = [];

    /// <summary>The share of the machine's CPUs the agent may use, 1–100.</summary>
    /// <value><see langword="null"/> for no limit.</value>
    public int? CpuPercent { get; init; }

    /// <summary>The memory the agent's replication buffers may take, in MiB.</summary>
    /// <value><see langword="null"/> for no limit.</value>
    public int? MemoryMiB { get; init; }
}
