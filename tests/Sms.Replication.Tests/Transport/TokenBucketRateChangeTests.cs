using Microsoft.Extensions.Time.Testing;
using Sms.Transport;

namespace Sms.Replication.Tests.Transport;

public sealed class TokenBucketRateChangeTests
{
    private const int Burst = 64 * 1024;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private static Task Take(TokenBucket bucket, long bytes) => bucket.TakeAsync(bytes).AsTask();

    [Fact]
    public void SetRate_LimitedAgainAfterLongIdleAtSameRate_DoesNotWait()
    {
        // Given: a debt of 2 s at 8 Mbit/s, then an hour at the same rate.
        var bucket = new TokenBucket(8, _clock);
        Assert.True(Take(bucket, Burst).IsCompletedSuccessfully);
        _ = Take(bucket, 2_000_000);
        _clock.Advance(TimeSpan.FromHours(1));

        // When
        bucket.SetRate(8);
        var take = Take(bucket, 1);

        // Then
        Assert.True(take.IsCompletedSuccessfully);
    }

    [Fact]
    public void SetRate_LimitedAgainAfterLongUnlimitedPeriod_DoesNotChargeOldDebt()
    {
        // Given: a debt of 2 s at 8 Mbit/s, then an hour unlimited.
        var bucket = new TokenBucket(8, _clock);
        Assert.True(Take(bucket, Burst).IsCompletedSuccessfully);
        _ = Take(bucket, 2_000_000);
        bucket.SetRate(0);
        _clock.Advance(TimeSpan.FromHours(1));

        // When
        bucket.SetRate(8);
        var take = Take(bucket, 1);

        // Then
        Assert.True(take.IsCompletedSuccessfully);
    }
}
