using Sms.Migration;
using Sms.Replication;

namespace Sms.Cli.CommandLine;

/// <summary>The rate and resource limit options shared by <c>migrate</c> and <c>set-limits</c>.</summary>
internal static class LimitOptions
{
    public static readonly string[] Names = ["--rate-limit", "--rate-window", "--cpu-percent", "--memory-mib"];

    public static MigrationLimits Read(Arguments a, MigrationLimits? current = null)
    {
        current ??= new MigrationLimits();
        var windows = a.GetAll("--rate-window");
        return current with
        {
            RateLimitMbps = a.GetDouble("--rate-limit", current.RateLimitMbps),
            RateWindows = windows.Count > 0 ? [.. windows.Select(Window)] : current.RateWindows,
            CpuPercent = a.Get("--cpu-percent") is null ? current.CpuPercent : a.GetInt("--cpu-percent", 100),
            MemoryMiB = a.Get("--memory-mib") is null ? current.MemoryMiB : a.GetInt("--memory-mib", 1024),
        };
    }

    public static RateLimitWindow Window(string text)
    {
        try
        {
            return RateLimitWindow.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new UsageException($"--rate-window: {ex.Message}");
        }
    }
}
