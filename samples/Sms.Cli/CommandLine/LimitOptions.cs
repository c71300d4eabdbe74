using System.Globalization;
using Sms.Migration;

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

    /// <summary>Parses <c>HH:MM[:SS]-HH:MM[:SS]=MBPS</c>.</summary>
    public static DailyRateWindow Window(string text)
    {
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0 && eq > dash
            && TimeOnly.TryParse(text[..dash], CultureInfo.InvariantCulture, out var start)
            && TimeOnly.TryParse(text[(dash + 1)..eq], CultureInfo.InvariantCulture, out var end)
            && double.TryParse(text[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var mbps) && mbps >= 0 && start != end)
        {
            return new DailyRateWindow(start, end, mbps);
        }

        throw new UsageException($"--rate-window takes HH:MM-HH:MM=MBPS (for example 09:00-18:00=20), not '{text}'.");
    }
}
