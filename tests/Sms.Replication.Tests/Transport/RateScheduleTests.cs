using Sms.Transport;

namespace Sms.Replication.Tests.Transport;

public sealed class RateScheduleTests
{
    private static readonly RateLimitWindow Night = new(new TimeOnly(22, 0), new TimeOnly(6, 0), 200);
    private static readonly RateLimitWindow Lunch = new(new TimeOnly(12, 0), new TimeOnly(13, 30), 0);

    [Theory]
    [InlineData(21, 59, 50)]
    [InlineData(22, 0, 200)]
    [InlineData(3, 0, 200)]
    [InlineData(6, 0, 50)]
    [InlineData(12, 15, 0)]
    [InlineData(13, 30, 50)]
    public void RateAt_TimeOfDay_IsTheWindowsRateOrTheBaseRate(int hour, int minute, double expected)
    {
        // Given
        var schedule = new RateSchedule(50, [Night, Lunch]);

        // When
        var rate = schedule.RateAt(new TimeOnly(hour, minute));

        // Then
        Assert.Equal(expected, rate);
    }

    [Theory]
    [InlineData(21, 59, 30, 30)]
    [InlineData(5, 59, 0, 60)]
    [InlineData(22, 0, 0, 60)]
    [InlineData(13, 29, 50, 10)]
    public void UntilNextCheck_NearABoundary_IsTheTimeToIt(int hour, int minute, int second, double expectedSeconds)
    {
        // Given
        var schedule = new RateSchedule(50, [Night, Lunch]);

        // When
        var wait = schedule.UntilNextCheck(new TimeOnly(hour, minute, second));

        // Then
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), wait);
    }

    [Fact]
    public void Constructor_OverlappingWindows_Throw()
    {
        var overlapping = new RateLimitWindow(new TimeOnly(5, 0), new TimeOnly(7, 0), 10);
        Assert.Throws<ArgumentException>(() => new RateSchedule(50, [Night, overlapping]));
    }

    [Fact]
    public void IsConstant_WithoutWindows_IsTrue()
    {
        Assert.True(new RateSchedule(50).IsConstant);
        Assert.False(new RateSchedule(50, [Night]).IsConstant);
    }
}
