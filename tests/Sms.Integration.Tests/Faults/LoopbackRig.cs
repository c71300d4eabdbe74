using Sms.Integration.Tests.Support;
using Sms.Replication;
using Xunit.Abstractions;

namespace Sms.Integration.Tests.Faults;

/// <summary>
/// The real <c>sms receive</c> on loopback, a source image and a state dir; runs <c>sms replicate</c> against it (or
/// through another endpoint) and checks a resumed pass against what the fault left in the manifest.
/// </summary>
public sealed class LoopbackRig : IDisposable
{
    public const string Volume = "disk0";
    private readonly ITestOutputHelper _output;

    public LoopbackRig(ITestOutputHelper output, string? volumes = null)
    {
        _output = output;
        Volumes = volumes ?? Dir["vols"];
    }

    public TempDirectory Dir { get; } = new();

    public string Volumes { get; }

    public string Image => Dir["disk.img"];

    public string State => Dir["state"];

    public string PairingFile => Dir["pair.json"];

    public string Target => Path.Combine(Volumes, Volume + ".img");

    public SmsProcess? Receiver { get; private set; }

    public ReceiverPairing? Pairing { get; private set; }

    public async Task StartReceiverAsync()
    {
        Receiver?.Dispose();
        File.Delete(PairingFile);
        Receiver = SmsProcess.Start("receive", "--listen", "127.0.0.1:0", "--volumes", Volumes, "--pairing-file", PairingFile);
        Pairing = await Support.Pairing.WaitAsync(PairingFile, Receiver);
    }

    /// <summary>A pairing file that sends the source through <paramref name="endpoint"/> (a proxy).</summary>
    public Task<string> PairingThroughAsync(string endpoint)
        => Support.Pairing.WriteAsync(Dir["pair-via.json"], Pairing! with { Endpoint = endpoint });

    public string[] Replicate(string? pairingFile, params string[] extra)
        => ["replicate", "--pairing-file", pairingFile ?? PairingFile, "--source", Image, "--volume", Volume, "--state-dir", State, "--all-blocks", "--json", .. extra];

    public Task<SmsRun> RunAsync(params string[] extra) => SmsProcess.RunAsync(Replicate(null, extra));

    /// <summary>
    /// Runs the pass after a fault and checks it: it completes incrementally, target = source, and it sends exactly
    /// the blocks the manifest did not have: those in flight at the fault (unknown, at most <paramref name="maxInFlight"/>)
    /// and those the faulty pass never reached. Only the former are sent twice.
    /// </summary>
    public async Task<Summary> ResumeAndCheckAsync(ManifestCounts atFault, int maxInFlight, string fault)
    {
        var run = await RunAsync("--max-in-flight", maxInFlight.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(run.ExitCode == 0, run.ToString());
        var resumed = run.Summary;
        var resent = resumed.BlocksSent - atFault.Untouched;
        _output.WriteLine($"{fault}: manifest after it: {atFault.Acknowledged} acknowledged, {atFault.Unknown} in flight, {atFault.Untouched} never sent; the resumed pass sent {resumed.BlocksSent} blocks ({resumed.BytesWritten:N0} bytes written, {resumed.BytesSent:N0} on the wire): {resent} sent again, bound {maxInFlight} x {atFault.BlockSize / 1024} KiB");
        Assert.Equal("incremental", resumed.Mode);
        Assert.InRange(atFault.Unknown, 0, maxInFlight);
        Assert.Equal(atFault.Unknown + atFault.Untouched, resumed.BlocksSent);
        Assert.InRange(resent, 0, maxInFlight);
        Assert.InRange(resumed.BytesWritten, 0, ((long)maxInFlight + atFault.Untouched) * atFault.BlockSize);
        Assert.True(Images.SameBytes(Image, Target), "target differs from source");
        return resumed;
    }

    public void Dispose()
    {
        Receiver?.Dispose();
        Dir.Dispose();
    }
}
