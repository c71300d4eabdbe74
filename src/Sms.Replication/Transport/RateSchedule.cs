using Sms.Replication;

namespace Sms.Transport;

/// <summary>
/// Which rate limit applies when: a plain rate, and daily windows with their own rates in local time (see
/// <see cref="RateLimitWindow"/>). Pure: the caller supplies the time, so a <see cref="TokenBucket"/> consults it
/// only when the next change is due, not per block.
/// </summary>
public sealed class RateSchedule
{
    /// <summary>How long a computed rate is trusted at most: local time can jump (daylight saving, a clock set by hand).</summary>
    public static readonly TimeSpan MaxRecheckInterval = TimeSpan.FromMinutes(1);

    private readonly RateLimitWindow[] _windows;

    /// <summary>Creates a schedule.</summary>
    /// <param name="baseMbps">The rate outside every window in Mbit/s; 0 means unlimited.</param>
    /// <param name="windows">The windows; none for a constant rate.</param>
    /// <exception cref="ArgumentException">A window is empty or overlaps another.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A rate is negative or not a number.</exception>
    public RateSchedule(double baseMbps, IReadOnlyList<RateLimitWindow>? windows = null)
    {
        if (double.IsNaN(baseMbps) || baseMbps < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(baseMbps), baseMbps, "The rate must be 0 (unlimited) or positive.");
        }

        windows ??= [];
        RateLimitWindow.Validate(windows, nameof(windows));
        BaseMbps = baseMbps;
        _windows = [.. windows];
    }

    /// <summary>The rate outside every window.</summary>
    /// <value>Mbit/s; 0 means unlimited.</value>
    public double BaseMbps { get; }

    /// <summary>Whether the rate never changes.</summary>
    /// <value><see langword="true"/> without windows.</value>
    public bool IsConstant => _windows.Length == 0;

    /// <summary>The rate at a local time of day.</summary>
    /// <param name="localTime">The local time of day.</param>
    /// <returns>The rate of the window containing it, or <see cref="BaseMbps"/>.</returns>
    public double RateAt(TimeOnly localTime)
    {
        foreach (var window in _windows)
        {
            if (window.Contains(localTime))
            {
                return window.Mbps;
            }
        }

        return BaseMbps;
    }

    /// <summary>How long from a local time of day until the next window opens or closes, at most <see cref="MaxRecheckInterval"/>.</summary>
    /// <param name="localTime">The local time of day.</param>
    /// <returns>A positive interval.</returns>
    public TimeSpan UntilNextCheck(TimeOnly localTime)
    {
        var next = MaxRecheckInterval;
        foreach (var window in _windows)
        {
            next = Min(next, Until(localTime, window.Start));
            next = Min(next, Until(localTime, window.End));
        }

        return next;
    }

    private static TimeSpan Until(TimeOnly now, TimeOnly boundary)
    {
        // TimeOnly subtraction runs forward on a 24-hour circle; a boundary right now is a day away.
        var span = boundary - now;
        return span == TimeSpan.Zero ? TimeSpan.FromDays(1) : span;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
