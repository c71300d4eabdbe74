using System.Globalization;

namespace Sms.Replication;

/// <summary>
/// A daily time window with its own rate limit, in the local time of the replicator's clock: from
/// <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive). A window whose end is before its start wraps
/// midnight (22:00–06:00 is the night). Outside every window the settings' plain rate limit applies.
/// </summary>
/// <param name="Start">When the window opens each day.</param>
/// <param name="End">When it closes; before <paramref name="Start"/> when it wraps midnight.</param>
/// <param name="Mbps">The rate limit inside the window in Mbit/s; 0 means unlimited.</param>
public sealed record RateLimitWindow(TimeOnly Start, TimeOnly End, double Mbps)
{
    private static readonly string[] TimeFormats = ["H:mm", "H:mm:ss"];

    /// <summary>Whether the window wraps midnight.</summary>
    /// <value><see langword="true"/> when <see cref="End"/> is before <see cref="Start"/>.</value>
    public bool WrapsMidnight => End < Start;

    /// <summary>Whether a time of day falls inside the window.</summary>
    /// <param name="time">The local time of day.</param>
    /// <returns><see langword="true"/> from <see cref="Start"/> up to, not including, <see cref="End"/>.</returns>
    public bool Contains(TimeOnly time) => WrapsMidnight ? time >= Start || time < End : time >= Start && time < End;

    /// <summary>Parses <c>HH:MM[:SS]-HH:MM[:SS]=MBPS</c>, as the console's <c>--rate-window</c> takes it.</summary>
    /// <param name="text">For example <c>22:00-06:00=200</c> or <c>09:30:15-09:31=20.5</c>.</param>
    /// <returns>The window (not yet validated against others; see <see cref="Validate"/>).</returns>
    /// <exception cref="FormatException">The text is not of that form, or the window is empty.</exception>
    public static RateLimitWindow Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var dash = equals < 0 ? -1 : text.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || dash > equals
            || !TimeOnly.TryParseExact(text.AsSpan(0, dash), TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            || !TimeOnly.TryParseExact(text.AsSpan(dash + 1, equals - dash - 1), TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var end)
            || !double.TryParse(text.AsSpan(equals + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var mbps))
        {
            throw new FormatException($"'{text}' is not a rate window: use HH:MM[:SS]-HH:MM[:SS]=MBPS, for example 22:00-06:00=200.");
        }

        var window = new RateLimitWindow(start, end, mbps);
        try
        {
            Validate([window], nameof(text));
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"'{text}' is not a rate window: {ex.Message.Split(Environment.NewLine)[0]}", ex);
        }

        return window;
    }

    /// <summary>Checks a list of windows: each non-empty with a valid rate, and no two overlapping.</summary>
    /// <param name="windows">The windows.</param>
    /// <param name="parameterName">The setting's name, for the exception.</param>
    /// <exception cref="ArgumentException">A window is null, empty (start = end) or overlaps another.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A rate is negative or not a number.</exception>
    public static void Validate(IReadOnlyList<RateLimitWindow> windows, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(windows, parameterName);
        for (var i = 0; i < windows.Count; i++)
        {
            var window = windows[i] ?? throw new ArgumentException($"Rate window {i} is missing.", parameterName);
            if (window.Start == window.End)
            {
                throw new ArgumentException($"Rate window {window} is empty: its start and end are both {window.Start:HH\\:mm\\:ss} (for a whole day, set the plain rate limit).", parameterName);
            }

            if (double.IsNaN(window.Mbps) || double.IsInfinity(window.Mbps) || window.Mbps < 0)
            {
                throw new ArgumentOutOfRangeException(parameterName, window.Mbps, $"Rate window {window}: the rate must be 0 (unlimited) or positive.");
            }

            for (var j = 0; j < i; j++)
            {
                if (window.Overlaps(windows[j]))
                {
                    throw new ArgumentException($"Rate windows {windows[j]} and {window} overlap: which rate applies would be ambiguous.", parameterName);
                }
            }
        }
    }

    /// <summary>Writes the window as <see cref="Parse"/> reads it.</summary>
    /// <returns>For example <c>22:00:00-06:00:00=200</c>.</returns>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{Start:HH\\:mm\\:ss}-{End:HH\\:mm\\:ss}={Mbps}");

    private bool Overlaps(RateLimitWindow other)
    {
        // On the circular clock, two arcs overlap exactly when one contains the other's start.
        return Contains(other.Start) || other.Contains(Start);
    }
}
