using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Sms.Integration.Tests.Support;
using Sms.Protocol;
using Xunit.Abstractions;

namespace Sms.Integration.Tests.Hostile;

/// <summary>
/// FsCheck-generated and mutated streams against the real <c>sms receive</c> over loopback TLS. After each: the
/// receiver answered with a typed Error frame and closed; after all: it is alive, its memory stayed bounded, nothing
/// outside its two roots changed, and a real pass still works.
/// </summary>
public sealed class FuzzTests(HostileReceiver receiver, ITestOutputHelper output) : IClassFixture<HostileReceiver>
{
    // Per connection the receiver holds at most its frame buffer and a block writer's pool: (4 + 2) x 8 MiB blocks
    // plus 8 MiB of frame for the largest block size; streams are sequential. Plus a .NET runtime baseline.
    private const long MemoryBound = (128L << 20) + (7 * (8L << 20));

    [Fact]
    public void Receiver_GeneratedFramesBeforeHello_AreEachAnsweredWithAProtocolError()
    {
        // Given
        var streams = FuzzStreams.PreHello();

        // When: each stream on its own connection, answered with an Error frame.
        var outcomes = SendAll(streams, 25, requireError: true);

        // Then
        AssertReceiverHeld(outcomes, 25);
    }

    [Fact]
    public void Receiver_GeneratedFramesInABlockSession_AreEachAnsweredWithAProtocolError()
    {
        // Given
        var streams = FuzzStreams.BlockSession();

        // When: each stream on its own connection, answered with an Error frame.
        var outcomes = SendAll(streams, 30, requireError: true);

        // Then
        AssertReceiverHeld(outcomes, 30);
    }

    [Fact]
    public void Receiver_MutatedValidBlockSessions_AreRefusedOrClosedAndNeverCrashIt()
    {
        // Given
        var streams = FuzzStreams.MutatedSession();

        // When: each stream on its own connection, answered with an Error frame or closed when we close.
        var outcomes = SendAll(streams, 25, requireError: false);

        // Then
        AssertReceiverHeld(outcomes, 25);
    }

    [Fact]
    public void Receiver_GeneratedRecordsInAFileSession_AreEachAnsweredWithAProtocolError()
    {
        // Given
        var streams = FuzzStreams.FilesSession();

        // When: each stream on its own connection, answered with an Error frame.
        var outcomes = SendAll(streams, 25, requireError: true);

        // Then
        AssertReceiverHeld(outcomes, 25);
    }

    [Fact]
    public void Receiver_GeneratedHellos_AreAcceptedOrRefusedWithAProtocolError()
    {
        // Given
        var streams = FuzzStreams.Hellos();

        // When: each stream on its own connection, answered with an Error frame.
        var outcomes = SendAll(streams, 30, requireError: true);

        // Then
        AssertReceiverHeld(outcomes, 30);
    }

    [Theory]
    [InlineData(false, uint.MaxValue)]
    [InlineData(false, (uint)ProtocolConstants.MaxControlPayload + 1)]
    [InlineData(true, uint.MaxValue)]
    [InlineData(true, (8u << 20) + 1)]
    public async Task Receiver_HugeLengthField_IsRefusedAtOnceWithoutWaitingOrAllocating(bool afterHello, uint length)
    {
        // Given
        var rss = ProcessMemory.ResidentBytes(receiver.Process.Id)!.Value;
        await using var client = await RawClient.ConnectAsync(receiver.Pairing);
        if (afterHello)
        {
            Assert.Equal("HelloAck", await client.HelloAsync(RawClient.Hello(receiver.Pairing.Token, "huge", FuzzStreams.VolumeLength)));
        }

        var header = FuzzStreams.Frame((byte)FrameType.Block, 0, 0, 1 << 20, 1, []);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header, length);

        // When: only the header is sent.
        await client.WriteAsync(header);
        var (error, closed) = await client.ReadUntilClosedAsync(TimeSpan.FromSeconds(5));

        // Then
        var grown = ProcessMemory.ResidentBytes(receiver.Process.Id)!.Value - rss;
        output.WriteLine($"length {length} {(afterHello ? "after" : "before")} Hello: {error}; resident set grew {grown / 1024} KiB");
        Assert.True(closed, "the receiver waited for the payload");
        Assert.Contains(SmsErrorCode.FrameTooLarge.Value, error, StringComparison.Ordinal);
        Assert.InRange(grown, long.MinValue, 64L << 20);
    }

    /// <summary>Sends each stream on its own connection; asserts per stream that it was closed (with an Error frame when required) and the receiver lives.</summary>
    private Dictionary<string, int> SendAll(Arbitrary<FuzzStream> streams, int count, bool requireError)
    {
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var property = Prop.ForAll(streams, stream =>
        {
            var (error, closed) = SendAsync(stream).GetAwaiter().GetResult();
            var code = error is null ? "closed without error" : System.Text.RegularExpressions.Regex.Match(error, "(SDK|SMS)\\.[0-9]{4}").Value;
            outcomes[code] = outcomes.GetValueOrDefault(code) + 1;
            Assert.True(closed, $"the receiver kept the connection open: {stream}");
            Assert.True(error is not null || !requireError, $"no Error frame for {stream}");
            Assert.True(error is null || code.Length > 0, $"an Error frame without a code: {error}");
            Assert.False(receiver.Process.HasExited, $"the receiver died on {stream}: {receiver.Process.StandardError}");
        });
        property.Check(Config.QuickThrowOnFailure.WithMaxTest(count));
        return outcomes;
    }

    /// <summary>After the streams: memory stayed bounded, nothing escaped the roots, and a real pass still works.</summary>
    private void AssertReceiverHeld(Dictionary<string, int> outcomes, int count)
    {
        var peak = ProcessMemory.PeakResidentBytes(receiver.Process.Id)!.Value;
        output.WriteLine($"{count} streams: {string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} x{o.Value}"))}; receiver peak resident set {peak >> 20} MiB (bound {MemoryBound >> 20} MiB)");
        Assert.Equal(count, outcomes.Values.Sum());
        Assert.InRange(peak, 1, MemoryBound);
        receiver.AssertNothingEscaped();
        StillServesARealPass();
    }

    private async Task<(string? Error, bool Closed)> SendAsync(FuzzStream stream)
    {
        await using var client = await RawClient.ConnectAsync(receiver.Pairing);
        var token = receiver.Pairing.Token;
        switch (stream.Session)
        {
            case Session.Blocks:
                Assert.Equal("HelloAck", await client.HelloAsync(RawClient.Hello(token, stream.Volume!, FuzzStreams.VolumeLength)));
                break;
            case Session.Files:
                Assert.Equal("HelloAck", await client.HelloAsync(RawClient.Hello(token, stream.Volume!, 0, kind: "files")));
                break;
            case Session.HelloOnly:
                var answer = await client.HelloAsync(Encoding.UTF8.GetBytes(stream.HelloJson!.Replace("{TOKEN}", token, StringComparison.Ordinal)));
                if (answer != "HelloAck")
                {
                    return (answer, (await client.ReadUntilClosedAsync(TimeSpan.FromSeconds(15))).Closed);
                }

                break;
        }

        foreach (var frame in stream.Frames)
        {
            try
            {
                await client.WriteAsync(frame);
            }
            catch (IOException)
            {
                break; // the receiver already refused and hung up
            }
        }

        try
        {
            await client.WriteAsync(FuzzStreams.Terminator());
        }
        catch (IOException)
        {
        }

        var result = await client.ReadUntilClosedAsync(TimeSpan.FromSeconds(5));
        if (!result.Closed)
        {
            // A mutated length can leave the receiver waiting for the rest of a frame: end our side, it must close too.
            await client.ShutdownAsync();
            result = await client.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));
        }

        return result;
    }

    private void StillServesARealPass()
    {
        var image = receiver.Dir["scratch.img"];
        Images.CreateIncompressible(image, 4L << 20, seed: 77);
        var run = SmsProcess.RunAsync("replicate", "--pairing-file", receiver.Dir["pair.json"], "--source", image, "--volume", "after-fuzz", "--all-blocks", "--json").GetAwaiter().GetResult();
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(Images.SameBytes(image, Path.Combine(receiver.Volumes, "after-fuzz.img")));
    }
}
