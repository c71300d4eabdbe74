using Microsoft.Extensions.Time.Testing;
using Sms.Progress;

namespace Sms.Replication.Tests.Progress;

public sealed class ProgressTrackerTests
{
    private const long Mb = 1_000_000;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Snapshot_AtStart_HasZeroRateNoEstimateAndZeroFraction()
    {
        // Given
        var tracker = new ProgressTracker(100 * Mb, _clock);

        // When
        var progress = tracker.Snapshot();

        // Then
        Assert.Equal(0, progress.BytesPerSecond);
        Assert.Null(progress.EstimatedRemaining);
        Assert.Equal(0, progress.Fraction);
        Assert.Equal(TimeSpan.Zero, progress.Elapsed);
    }

    [Fact]
    public void Snapshot_SteadyScan_RateIsBytesOverElapsedSeconds()
    {
        // Given
        var tracker = new ProgressTracker(100 * Mb, _clock);
        for (var second = 1; second <= 4; second++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            tracker.AddScanned(10 * Mb);
            if (second < 4)
            {
                tracker.Snapshot();
            }
        }

        // When
        var progress = tracker.Snapshot();

        // Then
        Assert.Equal(10 * Mb, progress.BytesPerSecond, precision: 6);
        Assert.Equal(TimeSpan.FromSeconds(4), progress.Elapsed);
    }

    [Fact]
    public void Snapshot_BurstOlderThanFiveSeconds_DropsOutOfTheRate()
    {
        // Given: 100 MB in the first second, then 1 MB/s, a snapshot every second.
        var tracker = new ProgressTracker(1000 * Mb, _clock);
        _clock.Advance(TimeSpan.FromSeconds(1));
        tracker.AddScanned(100 * Mb);
        tracker.Snapshot();
        _clock.Advance(TimeSpan.FromSeconds(1));
        tracker.AddScanned(Mb);
        var early = tracker.Snapshot();
        for (var second = 3; second <= 10; second++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            tracker.AddScanned(Mb);
            if (second < 10)
            {
                tracker.Snapshot();
            }
        }

        // When
        var late = tracker.Snapshot();

        // Then
        Assert.Equal(101 * Mb / 2.0, early.BytesPerSecond, precision: 6);
        Assert.Equal(Mb, late.BytesPerSecond, precision: 6);
        Assert.Equal(109 * Mb, late.BytesScanned);
    }

    [Fact]
    public void Snapshot_SampleExactlyFiveSecondsOld_StaysInTheWindow()
    {
        // Given: 5 MB at t=1, then nothing; at t=6 the t=1 sample is exactly 5 s old.
        var tracker = new ProgressTracker(100 * Mb, _clock);
        _clock.Advance(TimeSpan.FromSeconds(1));
        tracker.AddScanned(5 * Mb);
        tracker.Snapshot();
        _clock.Advance(TimeSpan.FromSeconds(5));
        tracker.AddScanned(10 * Mb);

        // When
        var progress = tracker.Snapshot();

        // Then: (15 - 5) MB over the 5 s since the t=1 sample.
        Assert.Equal(2 * Mb, progress.BytesPerSecond, precision: 6);
    }

    [Fact]
    public void Snapshot_Stalled_RateFallsToZeroOnceTheWindowHasPassed()
    {
        // Given
        var tracker = new ProgressTracker(100 * Mb, _clock);
        _clock.Advance(TimeSpan.FromSeconds(1));
        tracker.AddScanned(50 * Mb);
        tracker.Snapshot();
        for (var second = 2; second <= 7; second++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            tracker.Snapshot();
        }

        // When
        var progress = tracker.Snapshot();

        // Then
        Assert.Equal(0, progress.BytesPerSecond);
        Assert.Null(progress.EstimatedRemaining);
    }

    [Fact]
    public void Snapshot_KnownRate_EstimatesRemainingOverRate()
    {
        // Given: 40 MB of 100 MB in 4 s, 10 MB/s.
        var tracker = new ProgressTracker(100 * Mb, _clock);
        for (var second = 1; second <= 4; second++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            tracker.AddScanned(10 * Mb);
            tracker.Snapshot();
        }

        // When
        var progress = tracker.Snapshot();

        // Then
        Assert.Equal(TimeSpan.FromSeconds(6), progress.EstimatedRemaining);
        Assert.Equal(0.4, progress.Fraction, precision: 12);
    }

    [Theory]
    [InlineData(100, 25, 0.25)]
    [InlineData(100, 100, 1.0)]
    [InlineData(100, 150, 1.0)]
    [InlineData(0, 0, 1.0)]
    public void Snapshot_ScannedBytes_FractionIsScannedOverTotalCappedAtOne(long total, long scanned, double expected)
    {
        // Given
        var tracker = new ProgressTracker(total, _clock);
        tracker.AddScanned(scanned);

        // When
        var progress = tracker.Snapshot();

        // Then
        Assert.Equal(expected, progress.Fraction, precision: 12);
    }

    [Fact]
    public void Snapshot_Counters_ReportsScannedSentAndWritten()
    {
        // Given
        var tracker = new ProgressTracker(100, _clock);
        tracker.AddScanned(10);
        tracker.AddScanned(5);
        tracker.SetSent(7);
        tracker.SetSent(9);
        tracker.AddWritten(3);
        tracker.AddWritten(4);
        _clock.Advance(TimeSpan.FromMilliseconds(1500));

        // When
        var progress = tracker.Snapshot();

        // Then
        Assert.Equal(100, progress.TotalBytes);
        Assert.Equal(15, progress.BytesScanned);
        Assert.Equal(9, progress.BytesSent);
        Assert.Equal(7, progress.BytesWritten);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), progress.Elapsed);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), tracker.Elapsed);
    }

    [Fact]
    public void AddScanned_FromManyThreads_CountsEveryByte()
    {
        // Given
        var tracker = new ProgressTracker(0, _clock);

        // When
        Parallel.For(0, 10_000, _ => tracker.AddScanned(3));

        // Then
        Assert.Equal(30_000, tracker.BytesScanned);
    }
}
