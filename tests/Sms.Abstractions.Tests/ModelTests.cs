using FsCheck.Xunit;
using Sms.Blocks;
using Sms.Replication;

namespace Sms.Abstractions.Tests;

public sealed class ModelTests
{
    [Property(MaxTest = 200)]
    public bool BlockRange_FromBounds_RoundTrips(uint start, ushort length)
    {
        var range = BlockRange.FromBounds(start, (long)start + length);
        return range.Offset == start && range.Length == length && range.End == (long)start + length && range.IsEmpty == (length == 0);
    }

    [Fact]
    public void BlockRange_FromBoundsReversed_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BlockRange.FromBounds(10, 5));
    }

    [Theory]
    [InlineData(0, 10, 10, 20, false)]
    [InlineData(0, 11, 10, 20, true)]
    [InlineData(5, 1, 0, 100, true)]
    public void BlockRange_Overlaps_IsHalfOpen(long a, long al, long b, long bl, bool expected)
    {
        Assert.Equal(expected, new BlockRange(a, al).Overlaps(new BlockRange(b, bl)));
        Assert.Equal(expected, new BlockRange(b, bl).Overlaps(new BlockRange(a, al)));
    }

    [Fact]
    public void ReplicationSettings_Defaults_AreValid()
    {
        new ReplicationSettings().Validate();
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(32 * 1024)]
    [InlineData(16 << 20)]
    public void ReplicationSettings_BadBlockSize_IsRefused(int blockSize)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ReplicationSettings { BlockSize = blockSize }.Validate());
        Assert.Equal("BlockSize", error.ParamName);
    }

    [Fact]
    public void ReplicationSettings_OtherBadValues_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplicationSettings { RateLimitMbps = -1 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplicationSettings { RateLimitMbps = double.NaN }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplicationSettings { Workers = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplicationSettings { Workers = 4, MaxBuffers = 5 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplicationSettings { Compression = (CompressionKind)9 }.Validate());
    }

    [Fact]
    public void ReplicationProgress_Eta_IsRemainingOverRate()
    {
        var progress = new ReplicationProgress(TotalBytes: 1000, BytesScanned: 400, BytesSent: 0, BytesWritten: 0, BytesPerSecond: 100, Elapsed: TimeSpan.FromSeconds(4));
        Assert.Equal(TimeSpan.FromSeconds(6), progress.EstimatedRemaining);
        Assert.Equal(0.4, progress.Fraction, 6);
        Assert.Null((progress with { BytesPerSecond = 0 }).EstimatedRemaining);
        Assert.Equal(1, (progress with { TotalBytes = 0 }).Fraction);
    }

    [Fact]
    public void SmsException_CarriesItsCode()
    {
        var error = new SmsException(SmsErrorCode.SourceDiskChanged, "changed");
        Assert.Equal("SMS.0515", error.ErrorCode.Value);
        Assert.Equal("SMS.0515: changed", error.ToString());
        Assert.False(error.IsTransient);
    }

    [Fact]
    public void ReceiverPairing_ToString_HidesTheToken()
    {
        var pairing = new ReceiverPairing("h:1", "ab", "secret-token");
        Assert.DoesNotContain("secret-token", pairing.ToString(), StringComparison.Ordinal);
    }
}
