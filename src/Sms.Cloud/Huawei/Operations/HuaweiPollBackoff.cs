namespace Sms.Cloud.Huawei.Operations;

/// <summary>
/// Exponential back-off with "equal jitter" for polling (the API reference recommends 2 s → 30 s with jitter): each
/// wait is half the current interval plus a random part of the other half, and the interval doubles up to a cap.
/// </summary>
internal static class HuaweiPollBackoff
{
    /// <summary>The wait before the next poll.</summary>
    /// <param name="interval">The current interval.</param>
    /// <param name="random01">A random number in [0, 1).</param>
    /// <returns>Between half the interval and the interval.</returns>
    public static TimeSpan Jittered(TimeSpan interval, double random01)
    {
        long half = interval.Ticks / 2;
        return TimeSpan.FromTicks(half + (long)((interval.Ticks - half) * Math.Clamp(random01, 0, 1)));
    }

    /// <summary>The interval after <paramref name="interval"/>: doubled, at most <paramref name="max"/>.</summary>
    /// <param name="interval">The current interval.</param>
    /// <param name="max">The cap.</param>
    /// <returns>The next interval.</returns>
    public static TimeSpan Next(TimeSpan interval, TimeSpan max) =>
        interval >= max ? max : TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, max.Ticks));
}
