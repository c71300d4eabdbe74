namespace Sms.Migration;

/// <summary>A daily time window with its own rate limit; a window whose end is before its start wraps past midnight.</summary>
/// <param name="Start">The local time the window starts.</param>
/// <param name="End">The local time it ends.</param>
/// <param name="Mbps">The rate in Mbit/s inside it; 0 means unlimited.</param>
public sealed record DailyRateWindow(TimeOnly Start, TimeOnly End, double Mbps)
{
    /// <summary>Whether a local time falls inside the window.</summary>
    /// <param name="time">The local time of day.</param>
    /// <returns><see langword="true"/> inside.</returns>
    public bool Contains(TimeOnly time) => Start <= End ? time >= Start && time < End : time >= Start || time < End;
}
