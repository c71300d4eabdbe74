using Sms.Integration.Tests.Support;
using Xunit.Abstractions;

namespace Sms.Integration.Tests.Faults;

/// <summary>A link that breaks, hangs or corrupts a bit, between the real <c>sms replicate</c> and <c>sms receive</c>.</summary>
public sealed class ProxyFaultTests(ITestOutputHelper output) : IDisposable
{
    private const int MaxInFlight = 8;
    private readonly LoopbackRig _rig = new(output);

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task Replicate_LinkCutMidPass_FailsAsConnectionLostAndTheRerunResendsAtMostTheBlocksInFlight()
    {
        // Given: 64 MiB of random data, and a link that breaks after 24 MiB.
        Images.CreateIncompressible(_rig.Image, 64L << 20, seed: 21);
        await _rig.StartReceiverAsync();
        await using var proxy = new FaultProxy(Endpoint(), LinkFault.Cut, 24L << 20);

        // When
        var cut = await SmsProcess.RunAsync(_rig.Replicate(await _rig.PairingThroughAsync(proxy.Endpoint), "--max-in-flight", "8", "--compression", "none"));
        var atFault = ManifestCounts.Read(_rig.State, LoopbackRig.Volume);

        // Then
        Assert.True(proxy.Injected);
        Assert.Equal(1, cut.ExitCode);
        Assert.StartsWith("sms: SMS.0807:", cut.Reason, StringComparison.Ordinal);
        Assert.Contains("Run the same command again to resume", cut.Reason, StringComparison.Ordinal);
        await _rig.ResumeAndCheckAsync(atFault, MaxInFlight, "cut after 24 MiB");
    }

    [Fact]
    public async Task Replicate_LinkStallsFor3Seconds_ThePassWaitsAndCompletes()
    {
        // Given
        Images.CreateIncompressible(_rig.Image, 32L << 20, seed: 22);
        await _rig.StartReceiverAsync();
        await using var proxy = new FaultProxy(Endpoint(), LinkFault.Stall, 12L << 20, TimeSpan.FromSeconds(3));

        // When
        var run = await SmsProcess.RunAsync(_rig.Replicate(await _rig.PairingThroughAsync(proxy.Endpoint), "--max-in-flight", "8", "--verify"));

        // Then
        Assert.True(run.ExitCode == 0, run.ToString());
        var summary = run.Summary;
        output.WriteLine($"stall of 3 s after 12 MiB: pass took {summary.DurationSeconds:F2} s, verified {summary.Verified}");
        Assert.True(proxy.Injected);
        Assert.True(summary.DurationSeconds >= 3, $"{summary.DurationSeconds} s: the stall did not happen inside the pass");
        Assert.True(summary.Verified);
        Assert.True(Images.SameBytes(_rig.Image, _rig.Target));
    }

    [Fact]
    public async Task Replicate_OneBitCorruptedOnTheLink_TlsRefusesTheRecordThePassFailsTypedAndTheRerunCompletes()
    {
        // Given: a bit flipped 8 MiB into the stream, inside a TLS record carrying block data.
        Images.CreateIncompressible(_rig.Image, 32L << 20, seed: 23);
        await _rig.StartReceiverAsync();
        await using var proxy = new FaultProxy(Endpoint(), LinkFault.CorruptBit, (8L << 20) + 12345);

        // When
        var corrupted = await SmsProcess.RunAsync(_rig.Replicate(await _rig.PairingThroughAsync(proxy.Endpoint), "--max-in-flight", "8", "--compression", "none"));
        var atFault = ManifestCounts.Read(_rig.State, LoopbackRig.Volume);

        // Then: the receiver's TLS fails the record (its MAC) and drops the connection; the source reports a broken,
        // resumable connection; nothing corrupt was written, as the byte comparison after the rerun shows.
        output.WriteLine($"corrupted bit: {corrupted.Reason}");
        Assert.True(proxy.Injected);
        Assert.Equal(1, corrupted.ExitCode);
        Assert.StartsWith("sms: SMS.0807:", corrupted.Reason, StringComparison.Ordinal);
        await _rig.ResumeAndCheckAsync(atFault, MaxInFlight, "bit flipped at 8 MiB");
    }

    private System.Net.IPEndPoint Endpoint()
    {
        var (host, port) = Sms.Transport.ReplicationConnector.ParseEndpoint(_rig.Pairing!.Endpoint);
        return new System.Net.IPEndPoint(System.Net.IPAddress.Parse(host), port);
    }
}
