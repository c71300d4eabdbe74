using Microsoft.Extensions.Time.Testing;
using Sms.Transport;

namespace Sms.Replication.Tests.Transport;

public sealed class TokenBucketTests
{
    private const int Burst = 64 * 1024;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private static bool TakesAtOnce(TokenBucket bucket, long bytes) => bucket.TakeAsync(bytes).AsTask().IsCompletedSuccessfully;

    [Fact]
    public void TakeAsync_Unlimited_NeverWaits()
    {
        // Given
        var bucket = new TokenBucket(0, _clock);

        // When
        var first = bucket.TakeAsync(10L << 30).AsTask();
        var second = bucket.TakeAsync(10L << 30).AsTask();

        // Then
        Assert.True(first.IsCompletedSuccessfully);
        Assert.True(second.IsCompletedSuccessfully);
        Assert.Equal(0, bucket.MegabitsPerSecond);
    }

    [Fact]
    public void TakeAsync_WithinBurst_CompletesImmediately()
    {
        // Given
        var bucket = new TokenBucket(8, _clock);

        // When
        var take = bucket.TakeAsync(Burst).AsTask();

        // Then
        Assert.True(take.IsCompletedSuccessfully);
    }

    [Fact]
    public void TakeAsync_TwoMegabytesAtEightMegabitsAfterBurst_CompletesOnlyAfterTwoSeconds()
    {
        // Given: 8 Mbit/s is 1,000,000 bytes/s.
        var bucket = new TokenBucket(8, _clock);
        Assert.True(TakesAtOnce(bucket, Burst));

        // When
        var take = bucket.TakeAsync(2_000_000).AsTask();
        var completedAtStart = take.IsCompleted;
        _clock.Advance(TimeSpan.FromMilliseconds(1999));
        var completedBeforeTwoSeconds = take.IsCompleted;
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        // Then
        Assert.False(completedAtStart);
        Assert.False(completedBeforeTwoSeconds);
        Assert.True(take.IsCompletedSuccessfully);
    }

    [Fact]
    public void TakeAsync_IdleLongerThanBurst_BanksNoMoreThanBurst()
    {
        // Given
        var bucket = new TokenBucket(8, _clock);
        Assert.True(TakesAtOnce(bucket, Burst));
        _clock.Advance(TimeSpan.FromSeconds(10));

        // When: the burst is back, plus a second's worth.
        var take = bucket.TakeAsync(Burst + 1_000_000).AsTask();
        _clock.Advance(TimeSpan.FromMilliseconds(999));
        var completedEarly = take.IsCompleted;
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        // Then
        Assert.False(completedEarly);
        Assert.True(take.IsCompletedSuccessfully);
    }

    [Fact]
    public void TakeAsync_DebtFromEarlierTake_DelaysTheNextOne()
    {
        // Given
        var bucket = new TokenBucket(8, _clock);
        var first = bucket.TakeAsync(Burst + 500_000).AsTask();

        // When
        var second = bucket.TakeAsync(500_000).AsTask();
        _clock.Advance(TimeSpan.FromMilliseconds(500));
        var firstDone = first.IsCompleted;
        var secondDoneEarly = second.IsCompleted;
        _clock.Advance(TimeSpan.FromMilliseconds(500));

        // Then
        Assert.True(firstDone);
        Assert.False(secondDoneEarly);
        Assert.True(second.IsCompletedSuccessfully);
    }

    [Fact]
    public void SetRate_Higher_ShortensTheWait()
    {
        // Given: 16 Mbit/s is 2,000,000 bytes/s.
        var bucket = new TokenBucket(8, _clock);
        bucket.SetRate(16);
        Assert.True(TakesAtOnce(bucket, Burst));

        // When
        var take = bucket.TakeAsync(2_000_000).AsTask();
        _clock.Advance(TimeSpan.FromMilliseconds(999));
        var completedEarly = take.IsCompleted;
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        // Then
        Assert.Equal(16, bucket.MegabitsPerSecond, precision: 9);
        Assert.False(completedEarly);
        Assert.True(take.IsCompletedSuccessfully);
    }

    [Fact]
    public void SetRate_Zero_MakesTheBucketUnlimited()
    {
        // Given
        var bucket = new TokenBucket(8, _clock);

        // When
        bucket.SetRate(0);
        var take = bucket.TakeAsync(1L << 40).AsTask();

        // Then
        Assert.Equal(0, bucket.MegabitsPerSecond);
        Assert.True(take.IsCompletedSuccessfully);
    }

    [Fact]
    public void SetRate_FromUnlimitedToLimited_StartsPacing()
    {
        // Given
        var bucket = new TokenBucket(0, _clock);
        Assert.True(TakesAtOnce(bucket, 1L << 30));

        // When
        bucket.SetRate(8);
        Assert.True(TakesAtOnce(bucket, Burst));
        var take = bucket.TakeAsync(1_000_000).AsTask();
        var completedAtOnce = take.IsCompleted;
        _clock.Advance(TimeSpan.FromSeconds(1));

        // Then
        Assert.Equal(8, bucket.MegabitsPerSecond, precision: 9);
        Assert.False(completedAtOnce);
        Assert.True(take.IsCompletedSuccessfully);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(-0.001)]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    public void SetRate_NegativeOrNaN_ThrowsArgumentOutOfRange(double rate)
    {
        // Given
        var bucket = new TokenBucket(8, _clock);

        // When
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => bucket.SetRate(rate));

        // Then
        Assert.Equal("megabitsPerSecond", ex.ParamName);
        Assert.Equal(8, bucket.MegabitsPerSecond, precision: 9);
    }

    [Fact]
    public void Constructor_NegativeRate_ThrowsArgumentOutOfRange()
    {
        // Given / When / Then
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenBucket(-8, _clock));
    }

    [Fact]
    public async Task TakeAsync_CancelledWhileWaiting_ThrowsOperationCanceled()
    {
        // Given
        var bucket = new TokenBucket(8, _clock);
        Assert.True(TakesAtOnce(bucket, Burst));
        using var cancellation = new CancellationTokenSource();
        var take = bucket.TakeAsync(10_000_000, cancellation.Token).AsTask();

        // When
        await cancellation.CancelAsync();

        // Then
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => take);
    }
}
