using System.Net;
using Microsoft.Extensions.Time.Testing;
using Sms.Receiver;

namespace Sms.Replication.Tests.Receiver;

public sealed class FailedTokenThrottleTests
{
    private static readonly IPAddress Attacker = IPAddress.Parse("192.0.2.7");
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void TryBeginAttempt_BudgetSpent_RefusesWithTheWaitUntilOneRefills()
    {
        // Given: 5 failures per minute, all spent.
        var throttle = new FailedTokenThrottle(5, TimeSpan.FromMinutes(1), _clock);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(throttle.TryBeginAttempt(Attacker, out _));
        }

        // When
        var admitted = throttle.TryBeginAttempt(Attacker, out var retryAfter);

        // Then: one attempt refills every 12 s.
        Assert.False(admitted);
        Assert.Equal(12, retryAfter.TotalSeconds, 3);
    }

    [Fact]
    public void TryBeginAttempt_AfterTheRefillTime_AdmitsOneMore()
    {
        // Given
        var throttle = new FailedTokenThrottle(5, TimeSpan.FromMinutes(1), _clock);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(throttle.TryBeginAttempt(Attacker, out _));
        }

        // When
        _clock.Advance(TimeSpan.FromSeconds(11.9));
        var early = throttle.TryBeginAttempt(Attacker, out _);
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        var onTime = throttle.TryBeginAttempt(Attacker, out _);
        var next = throttle.TryBeginAttempt(Attacker, out _);

        // Then
        Assert.False(early);
        Assert.True(onTime);
        Assert.False(next);
    }

    [Fact]
    public void AttemptSucceeded_RightTokens_NeverSpendTheBudget()
    {
        // Given
        var throttle = new FailedTokenThrottle(3, TimeSpan.FromMinutes(1), _clock);

        // When: 100 sessions with the right token.
        var admitted = 0;
        for (var i = 0; i < 100; i++)
        {
            if (throttle.TryBeginAttempt(Attacker, out _))
            {
                admitted++;
                throttle.AttemptSucceeded(Attacker);
            }
        }

        // Then
        Assert.Equal(100, admitted);
    }

    [Fact]
    public void TryBeginAttempt_OtherAddress_HasItsOwnBudget()
    {
        // Given
        var throttle = new FailedTokenThrottle(1, TimeSpan.FromMinutes(1), _clock);
        Assert.True(throttle.TryBeginAttempt(Attacker, out _));

        // When
        var other = throttle.TryBeginAttempt(IPAddress.Parse("192.0.2.8"), out _);
        var same = throttle.TryBeginAttempt(Attacker, out _);

        // Then
        Assert.True(other);
        Assert.False(same);
    }

    [Fact]
    public void TryBeginAttempt_SameIpv6Slash64_SharesOneBudget()
    {
        // Given
        var throttle = new FailedTokenThrottle(1, TimeSpan.FromMinutes(1), _clock);
        Assert.True(throttle.TryBeginAttempt(IPAddress.Parse("2001:db8:1:2::1"), out _));

        // When
        var sameNetwork = throttle.TryBeginAttempt(IPAddress.Parse("2001:db8:1:2:ffff::9"), out _);
        var otherNetwork = throttle.TryBeginAttempt(IPAddress.Parse("2001:db8:1:3::1"), out _);

        // Then
        Assert.False(sameNetwork);
        Assert.True(otherNetwork);
    }

    [Fact]
    public void TryBeginAttempt_ManyAddresses_KeepsTheTableBounded()
    {
        // Given
        var throttle = new FailedTokenThrottle(2, TimeSpan.FromMinutes(1), _clock);

        // When: more addresses than the table holds, each with one failure.
        for (var i = 0; i < FailedTokenThrottle.MaxTrackedAddresses + 500; i++)
        {
            throttle.TryBeginAttempt(new IPAddress(BitConverter.GetBytes(0x0A000000 + i)), out _);
        }

        // Then
        Assert.InRange(throttle.TrackedAddresses, 1, FailedTokenThrottle.MaxTrackedAddresses + 1);
    }

    [Fact]
    public void TryBeginAttempt_ZeroBudget_TurnsTheThrottleOff()
    {
        var throttle = new FailedTokenThrottle(0, TimeSpan.FromMinutes(1), _clock);
        Assert.All(Enumerable.Range(0, 50), i => Assert.True(throttle.TryBeginAttempt(Attacker, out _), $"attempt {i}"));
    }
}
