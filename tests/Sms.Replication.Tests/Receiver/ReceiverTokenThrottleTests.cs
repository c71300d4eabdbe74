using Microsoft.Extensions.Time.Testing;
using Sms.Protocol;
using Sms.Receiver;
using Sms.Replication.Tests.Integration;

namespace Sms.Replication.Tests.Receiver;

public sealed class ReceiverTokenThrottleTests
{
    [Fact]
    public async Task Hello_MoreWrongTokensThanTheBudget_AreRefusedUncheckedUntilItRefillsThenTheRightTokenGetsIn()
    {
        // Given: 3 wrong tokens per minute allowed, on a clock the test moves.
        using var directory = new TempDirectory();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var receiver = new ReplicationReceiver(
            new ReceiverOptions { VolumesDirectory = directory.Combine("volumes"), WrongTokenDelay = TimeSpan.Zero, MaxFailedTokenAttempts = 3 },
            timeProvider: clock);
        await receiver.StartAsync();
        var pairing = receiver.Pairing;

        // When
        var wrong = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            wrong.Add(await HelloAsync(pairing, "guess-" + i));
        }

        var rightWhileThrottled = await HelloAsync(pairing, pairing.Token);
        clock.Advance(TimeSpan.FromSeconds(20));
        var rightAfterRefill = await HelloAsync(pairing, pairing.Token);

        // Then
        Assert.All(wrong.Take(3), e => Assert.Contains(SmsErrorCode.InvalidToken.Value, e, StringComparison.Ordinal));
        Assert.All(wrong.Skip(3), e => Assert.Contains(SmsErrorCode.TooManyTokenAttempts.Value, e, StringComparison.Ordinal));
        Assert.Contains(SmsErrorCode.TooManyTokenAttempts.Value, rightWhileThrottled, StringComparison.Ordinal);
        Assert.Contains("try again in 20 s", wrong[4], StringComparison.Ordinal);
        Assert.Equal("HelloAck", rightAfterRefill);
    }

    private static async Task<string> HelloAsync(ReceiverPairing pairing, string token)
    {
        await using var raw = await RawSource.ConnectAsync(pairing);
        await raw.Connection.SendAsync(FrameType.Hello, 0, 0, RawSource.Hello(token, "disk0", 1 << 20));
        var (header, payload) = await raw.Connection.ReadFrameAsync(ProtocolConstants.MaxControlPayload);
        return header.Type switch
        {
            FrameType.HelloAck => "HelloAck",
            FrameType.Error => System.Text.Encoding.UTF8.GetString(System.Buffers.BuffersExtensions.ToArray(payload)),
            _ => header.Type.ToString(),
        };
    }
}
