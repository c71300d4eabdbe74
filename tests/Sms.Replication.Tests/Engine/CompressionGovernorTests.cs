using Microsoft.Extensions.Time.Testing;
using Sms.Engine;

namespace Sms.Replication.Tests.Engine;

public sealed class CompressionGovernorTests
{
    [Theory]
    [InlineData(100, 300, true)]   // slow link: compression triples the acknowledged rate
    [InlineData(400, 250, false)]  // shared or fast CPU: compression slows the pass
    [InlineData(400, 420, false)]  // not a clear win: keep the CPU
    public void OnAcknowledged_AfterBothProbes_KeepsTheFasterChoice(int withoutMBps, int withMBps, bool expected)
    {
        // Given
        var time = new FakeTimeProvider();
        var governor = new CompressionGovernor(time);
        Assert.False(governor.Compress);

        // When: a probe without compression, then one with it.
        Feed(governor, time, withoutMBps, seconds: 1, compressed: false);
        Assert.True(governor.Compress);
        Feed(governor, time, withMBps, seconds: 1, compressed: true);

        // Then
        Assert.Equal(expected, governor.Compress);
    }

    [Fact]
    public void OnAcknowledged_AfterTheKeepPeriod_MeasuresAgain()
    {
        // Given: compression won.
        var time = new FakeTimeProvider();
        var governor = new CompressionGovernor(time);
        Feed(governor, time, 100, seconds: 1, compressed: false);
        Feed(governor, time, 300, seconds: 1, compressed: true);
        Assert.True(governor.Compress);

        // When: eight seconds later.
        Feed(governor, time, 300, seconds: 8, compressed: true);

        // Then: a new round starts without compression.
        Assert.False(governor.Compress);
    }

    [Fact]
    public void OnAcknowledged_BlocksPreparedBeforeTheSwitch_DoNotCountForTheNewProbe()
    {
        // Given: the probe without compression is done; compression is being tried now.
        var time = new FakeTimeProvider();
        var governor = new CompressionGovernor(time);
        Feed(governor, time, 100, seconds: 1, compressed: false);
        Assert.True(governor.Compress);

        // When: for a long while only blocks prepared before the switch (uncompressed) are acknowledged.
        Feed(governor, time, 100, seconds: 5, compressed: false);

        // Then: the probe with compression has not even started.
        Assert.True(governor.Compress);
        Feed(governor, time, 300, seconds: 1, compressed: true);
        Assert.True(governor.Compress);
    }

    // One tick first (the probe's start), then ten ticks a second.
    private static void Feed(CompressionGovernor governor, FakeTimeProvider time, int megabytesPerSecond, int seconds, bool compressed)
    {
        for (var tick = 0; tick <= seconds * 10; tick++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            var bytes = megabytesPerSecond * 100_000L;
            governor.OnAcknowledged(compressed ? 0 : bytes, compressed ? bytes : 0);
        }
    }
}
