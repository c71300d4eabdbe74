using Microsoft.Extensions.Time.Testing;
using Sms.Transport;

namespace Sms.Replication.Tests.Transport;

public sealed class TokenBucketScheduleTests
{
    // 8 Mbit/s is 1,000,000 bytes/s; 80 Mbit/s is 10,000,000 bytes/s. After a switch the bucket holds at most the old burst (64 KiB).
    private const int Burst = 64 * 1024;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 1, 1, 8, 59, 50, TimeSpan.Zero));

    private static Task Take(TokenBucket bucket, long bytes) => bucket.TakeAsync(bytes).AsTask();

    [Fact]
    public void TakeAsync_WindowOpensDuringThePass_SwitchesToTheWindowsRate()
    {
        // Given: 8 Mbit/s, and 80 Mbit/s from 09:00 (ten seconds from now).
        var bucket = new TokenBucket(new RateSchedule(8, [new RateLimitWindow(new TimeOnly(9, 0), new TimeOnly(10, 0), 80)]), _clock);
        Assert.True(Take(bucket, Burst).IsCompletedSuccessfully);
        var before = Take(bucket, 1_000_000);
        _clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(before.IsCompleted);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(before.IsCompletedSuccessfully);

        // When
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(Take(bucket, Burst).IsCompletedSuccessfully);
        var inside = Take(bucket, 1_000_000);
        _clock.Advance(TimeSpan.FromMilliseconds(99));
        var completedEarly = inside.IsCompleted;
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        // Then
        Assert.Equal(80, bucket.MegabitsPerSecond, 6);
        Assert.False(completedEarly);
        Assert.True(inside.IsCompletedSuccessfully);
    }

    [Fact]
    public void TakeAsync_WindowCloses_ReturnsToTheBaseRate()
    {
        // Given: inside a window 08:59–09:00 of 80 Mbit/s; 8 Mbit/s after it.
        var bucket = new TokenBucket(new RateSchedule(8, [new RateLimitWindow(new TimeOnly(8, 59), new TimeOnly(9, 0), 80)]), _clock);
        Assert.Equal(80, bucket.MegabitsPerSecond, 6);

        // When
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(Take(bucket, Burst).IsCompletedSuccessfully);
        var after = Take(bucket, 1_000_000);
        _clock.Advance(TimeSpan.FromMilliseconds(999));
        var completedEarly = after.IsCompleted;
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        // Then
        Assert.Equal(8, bucket.MegabitsPerSecond, 6);
        Assert.False(completedEarly);
        Assert.True(after.IsCompletedSuccessfully);
    }

    [Fact]
    public void TakeAsync_UnlimitedOutsideAndLimitedInside_LimitsOnlyInsideTheWindow()
    {
        // Given: unlimited, and 8 Mbit/s from 09:00.
        var bucket = new TokenBucket(new RateSchedule(0, [new RateLimitWindow(new TimeOnly(9, 0), new TimeOnly(9, 30), 8)]), _clock);
        Assert.True(Take(bucket, 100_000_000).IsCompletedSuccessfully);

        // When
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(Take(bucket, Burst).IsCompletedSuccessfully);
        var inside = Take(bucket, 1_000_000);

        // Then
        Assert.False(inside.IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(inside.IsCompletedSuccessfully);
    }

    [Fact]
    public void TakeAsync_WindowInLocalTime_FollowsTheClocksTimeZone()
    {
        // Given: local time is UTC+05:00, so 08:59:50 UTC is 13:59:50 local; a window opens at 14:00 local.
        _clock.SetLocalTimeZone(TimeZoneInfo.CreateCustomTimeZone("plus-five", TimeSpan.FromHours(5), "plus-five", "plus-five"));
        var bucket = new TokenBucket(new RateSchedule(0, [new RateLimitWindow(new TimeOnly(14, 0), new TimeOnly(15, 0), 8)]), _clock);
        var outside = bucket.MegabitsPerSecond;

        // When
        _clock.Advance(TimeSpan.FromSeconds(10));
        _ = Take(bucket, 1);

        // Then
        Assert.Equal(0, outside);
        Assert.Equal(8, bucket.MegabitsPerSecond, 6);
    }
}
