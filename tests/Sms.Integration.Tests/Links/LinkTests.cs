using System.Globalization;
using Sms.Integration.Tests.Support;
using Xunit.Abstractions;

namespace Sms.Integration.Tests.Links;

/// <summary>
/// The real <c>sms receive</c> and <c>sms replicate</c> in two network namespaces over a veth link shaped to 200 Mbit/s:
/// link utilisation, compression, the rate limit and a time window. Short in CI; <c>SMS_FULL_LINK_TESTS=1</c> for 30 s each.
/// </summary>
public sealed class LinkTests(ITestOutputHelper output) : IDisposable
{
    private const double LinkMbit = 200;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableFact]
    public async Task Replicate_IncompressibleDataOverA200MbitLink_KeepsTheLinkAtLeast95PercentBusy()
    {
        // Given: as much random data as the link carries in the measurement time.
        using var link = RequireLink();
        var bytes = MiB(LinkMbit * LinkScale.Seconds);
        Images.CreateIncompressible(_dir["disk.img"], bytes, seed: 1);
        using var receiver = await StartReceiverAsync(link);

        // When
        var (run, sampler) = await ReplicateAsync(link, "--json");

        // Then: the shaper's own count (whole packets) over the transfer is the link's utilisation; the JSON's
        // goodput also pays TCP/IP headers (1448 of 1514 bytes a packet carry data at MTU 1500) and the process start.
        var summary = run.Summary;
        var utilisation = sampler.ShapedMbps / LinkMbit;
        output.WriteLine($"link {link.Shaping}, {LinkScale.Name}: the link carried {sampler.ShapedMbps:F1} Mbit/s during the transfer = {utilisation:P1} utilisation; goodput {sampler.DeviceMbps:F1} Mbit/s of TLS records ({sampler.DeviceMbps / LinkMbit:P1}); JSON {summary.BytesSent:N0} bytes in {summary.DurationSeconds:F2} s = {summary.WireMbps:F1} Mbit/s including start-up; Mbit/s each half second: {sampler.ShapedProfile}");
        Assert.True(utilisation >= 0.95, $"{utilisation:P1} of the link");
        Assert.True(Images.SameBytes(_dir["disk.img"], Path.Combine(_dir["vols"], "disk0.img")));
    }

    [SkippableFact]
    public async Task Replicate_CompressibleDataOverA200MbitLink_ReplicatesFasterThanTheLink()
    {
        // Given: text-like data that LZ4 shrinks several times, twice what the link carries raw in the time.
        using var link = RequireLink();
        var bytes = MiB(2 * LinkMbit * LinkScale.Seconds);
        Images.CreateCompressible(_dir["disk.img"], bytes, seed: 2);
        using var receiver = await StartReceiverAsync(link);

        // When: the default settings (LZ4, adaptive).
        var (run, _) = await ReplicateAsync(link, "--json");

        // Then: measured over the whole pass, start-up included.
        var summary = run.Summary;
        output.WriteLine($"link {link.Shaping}, {LinkScale.Name}: {summary.BytesScanned:N0} bytes replicated in {summary.DurationSeconds:F2} s = {summary.EffectiveMbps:F1} Mbit/s effective over a {LinkMbit} Mbit/s link ({summary.WireMbps:F1} Mbit/s on the wire, {(double)summary.BytesScanned / summary.BytesSent:F1}x smaller)");
        Assert.True(summary.EffectiveMbps > LinkMbit, $"{summary.EffectiveMbps:F1} Mbit/s effective");
        Assert.True(Images.SameBytes(_dir["disk.img"], Path.Combine(_dir["vols"], "disk0.img")));
    }

    [SkippableFact]
    public async Task Replicate_RateLimitOf50Mbit_HoldsWithin5Percent()
    {
        // Given
        using var link = RequireLink();
        const double limit = 50;
        var bytes = MiB(limit * LinkScale.Seconds);
        Images.CreateIncompressible(_dir["disk.img"], bytes, seed: 3);
        using var receiver = await StartReceiverAsync(link);

        // When
        var (run, sampler) = await ReplicateAsync(link, "--json", "--rate-limit", "50");

        // Then: the limit paces the bytes sms writes into TLS, which the source device counts (with few headers).
        // The JSON's duration adds ~0.3 s of process start-up (TLS handshake, JIT): 5% of a short run, 1% of a full one.
        var summary = run.Summary;
        output.WriteLine($"link {link.Shaping}, {LinkScale.Name}: --rate-limit 50 sent {sampler.DeviceMbps:F2} Mbit/s during the transfer ({(sampler.DeviceMbps / limit) - 1:+0.0%;-0.0%}); JSON {summary.BytesSent:N0} bytes in {summary.DurationSeconds:F2} s = {summary.WireMbps:F2} Mbit/s ({(summary.WireMbps / limit) - 1:+0.0%;-0.0%}) including start-up");
        Assert.InRange(sampler.DeviceMbps, limit * 0.95, limit * 1.05);
        if (LinkScale.Full)
        {
            Assert.InRange(summary.WireMbps, limit * 0.95, limit * 1.05);
        }
    }

    [SkippableFact]
    public async Task Replicate_RateWindowOpeningMidPass_SwitchesRateWhenItStarts()
    {
        // Given: 80 Mbit/s, and a window of 20 Mbit/s that opens half way through the measurement.
        using var link = RequireLink();
        const double before = 80, inside = 20;
        var opensAfter = LinkScale.Seconds / 2;
        using var receiver = await StartReceiverAsync(link);
        var now = DateTime.Now;
        var opens = now.AddSeconds(opensAfter + 0.4); // sms needs ~0.4 s to start
        opens = opens.AddTicks(-(opens.Ticks % TimeSpan.TicksPerSecond)).AddSeconds(1); // the option takes whole seconds
        var window = string.Create(CultureInfo.InvariantCulture, $"{opens:HH:mm:ss}-{opens.AddMinutes(10):HH:mm:ss}={inside}");
        var bytes = MiB((before * ((opens - now).TotalSeconds - 0.4)) + (inside * (opensAfter + 1.5)));
        Images.CreateIncompressible(_dir["disk.img"], bytes, seed: 4);

        // When
        var (run, sampler) = await ReplicateAsync(link, "--json", "--rate-limit", "80", "--rate-window", window);

        // Then: frames are 1 MiB, so a rate over a short span is coarse (one frame is 0.1 s at 80, 0.4 s at 20 Mbit/s).
        var (first, last) = sampler.Transfer;
        var rateBefore = sampler.DeviceMbpsBetween(first.Time, opens.AddSeconds(-0.2));
        var lastSecondBefore = sampler.DeviceMbpsBetween(opens.AddSeconds(-1.2), opens.AddSeconds(-0.2));
        var rateInside = sampler.DeviceMbpsBetween(opens.AddSeconds(0.5), last.Time);
        output.WriteLine($"link {link.Shaping}, {LinkScale.Name}: --rate-limit 80 --rate-window {window}: {rateBefore:F1} Mbit/s before {opens:HH:mm:ss} ({lastSecondBefore:F1} in its last second), {rateInside:F1} Mbit/s after; pass {run.Summary.DurationSeconds:F2} s");
        Assert.InRange(rateBefore, before * 0.95, before * 1.05);
        Assert.InRange(lastSecondBefore, before * 0.8, before * 1.25);
        Assert.InRange(rateInside, inside * 0.9, inside * 1.15);
        Assert.True(Images.SameBytes(_dir["disk.img"], Path.Combine(_dir["vols"], "disk0.img")));
    }

    private static long MiB(double megabits) => (long)Math.Ceiling(megabits * 1e6 / 8 / (1 << 20)) << 20;

    private async Task<(SmsRun Run, LinkSampler Sampler)> ReplicateAsync(LinkedNamespaces link, params string[] extra)
    {
        using var source = SmsProcess.StartIn(link.Source, Replicate(extra));
        var sampler = await LinkSampler.RunAsync(link, source);
        var run = await source.ResultAsync(TimeSpan.FromMinutes(3));
        Assert.True(run.ExitCode == 0, run.ToString());
        return (run, sampler);
    }

    private LinkedNamespaces RequireLink()
    {
        var link = LinkedNamespaces.TryCreate(LinkMbit, delayMs: 20, lossPercent: 0.1, out var whyNot);
        if (link is null)
        {
            output.WriteLine($"SKIPPED: {whyNot}");
        }

        Skip.If(link is null, whyNot);
        return link!;
    }

    private async Task<SmsProcess> StartReceiverAsync(LinkedNamespaces link)
    {
        var receiver = SmsProcess.StartIn(link.Receiver, "receive", "--listen", $"{link.ReceiverAddress}:0", "--volumes", _dir["vols"], "--pairing-file", _dir["pair.json"]);
        await Pairing.WaitAsync(_dir["pair.json"], receiver);
        return receiver;
    }

    private string[] Replicate(params string[] extra)
        => ["replicate", "--pairing-file", _dir["pair.json"], "--source", _dir["disk.img"], "--volume", "disk0", "--state-dir", _dir["state"], .. extra];
}
