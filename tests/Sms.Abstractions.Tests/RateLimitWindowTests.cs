using Sms.Replication;

namespace Sms.Abstractions.Tests;

public sealed class RateLimitWindowTests
{
    private static RateLimitWindow Window(string start, string end, double mbps = 10)
        => new(TimeOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture), TimeOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture), mbps);

    [Theory]
    [InlineData("09:00", "17:00", "09:00", true)]
    [InlineData("09:00", "17:00", "16:59:59", true)]
    [InlineData("09:00", "17:00", "17:00", false)]
    [InlineData("09:00", "17:00", "08:59", false)]
    [InlineData("22:00", "06:00", "23:30", true)]
    [InlineData("22:00", "06:00", "00:00", true)]
    [InlineData("22:00", "06:00", "05:59:59", true)]
    [InlineData("22:00", "06:00", "06:00", false)]
    [InlineData("22:00", "06:00", "12:00", false)]
    public void Contains_TimeOfDay_IsHalfOpenAndWrapsMidnight(string start, string end, string time, bool expected)
    {
        // Given
        var window = Window(start, end);

        // When
        var contains = window.Contains(TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture));

        // Then
        Assert.Equal(expected, contains);
    }

    [Theory]
    [InlineData("22:00-06:00=200", 22, 0, 0, 6, 0, 0, 200)]
    [InlineData("9:30:15-09:31=20.5", 9, 30, 15, 9, 31, 0, 20.5)]
    [InlineData("00:00-23:59:59=0", 0, 0, 0, 23, 59, 59, 0)]
    public void Parse_WellFormed_ReadsStartEndAndRate(string text, int sh, int sm, int ss, int eh, int em, int es, double mbps)
    {
        // When
        var window = RateLimitWindow.Parse(text);

        // Then
        Assert.Equal(new TimeOnly(sh, sm, ss), window.Start);
        Assert.Equal(new TimeOnly(eh, em, es), window.End);
        Assert.Equal(mbps, window.Mbps);
        Assert.Equal(window, RateLimitWindow.Parse(window.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("22:00=50")]
    [InlineData("22:00-06:00")]
    [InlineData("22:00-06:00=")]
    [InlineData("25:00-06:00=50")]
    [InlineData("22:00-06:60=50")]
    [InlineData("22-06=50")]
    [InlineData("22:00-06:00=fast")]
    [InlineData("22:00-06:00=-1")]
    [InlineData("22:00-06:00=NaN")]
    [InlineData("08:00-08:00=50")]
    public void Parse_Malformed_ThrowsFormatExceptionSayingTheForm(string text)
    {
        // When
        var error = Assert.Throws<FormatException>(() => RateLimitWindow.Parse(text));

        // Then
        Assert.Contains("rate window", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("22:00", "02:00", "01:00", "03:00")]
    [InlineData("22:00", "02:00", "23:00", "23:30")]
    [InlineData("09:00", "17:00", "16:59", "18:00")]
    [InlineData("09:00", "17:00", "08:00", "09:01")]
    [InlineData("20:00", "08:00", "07:00", "21:00")]
    public void Validate_OverlappingWindows_AreRefused(string s1, string e1, string s2, string e2)
    {
        // Given
        RateLimitWindow[] windows = [Window(s1, e1), Window(s2, e2)];

        // When
        var error = Assert.Throws<ArgumentException>(() => RateLimitWindow.Validate(windows, "RateLimitWindows"));

        // Then
        Assert.Contains("overlap", error.Message, StringComparison.Ordinal);
        Assert.Equal("RateLimitWindows", error.ParamName);
    }

    [Theory]
    [InlineData("22:00", "02:00", "02:00", "04:00")]
    [InlineData("09:00", "17:00", "17:00", "09:00")]
    [InlineData("01:00", "02:00", "03:00", "04:00")]
    public void Validate_AdjacentOrSeparateWindows_AreAccepted(string s1, string e1, string s2, string e2)
    {
        RateLimitWindow.Validate([Window(s1, e1), Window(s2, e2)], "RateLimitWindows");
    }

    [Fact]
    public void ReplicationSettings_WindowWithNegativeRate_FailsValidation()
    {
        // Given
        var settings = new ReplicationSettings { RateLimitWindows = [Window("01:00", "02:00", -5)] };

        // When
        var error = Assert.Throws<ArgumentOutOfRangeException>(settings.Validate);

        // Then
        Assert.Equal(nameof(ReplicationSettings.RateLimitWindows), error.ParamName);
    }

    [Fact]
    public void ReplicationSettings_EmptyWindow_FailsValidation()
    {
        var settings = new ReplicationSettings { RateLimitWindows = [Window("01:00", "01:00")] };
        var error = Assert.Throws<ArgumentException>(settings.Validate);
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }
}
