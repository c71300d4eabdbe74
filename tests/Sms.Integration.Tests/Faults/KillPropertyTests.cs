using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sms.Integration.Tests.Support;
using Xunit.Abstractions;

namespace Sms.Integration.Tests.Faults;

/// <summary>
/// kill -9 of the real <c>sms replicate</c> or <c>sms receive</c> at a point FsCheck picks: after it the next pass
/// completes, target = source, and only the blocks in flight at the kill are sent twice.
/// </summary>
public sealed class KillPropertyTests(ITestOutputHelper output)
{
    private const int Blocks = 48;
    private const int MaxInFlight = 6;

    [Property(MaxTest = 5, Arbitrary = [typeof(KillPoints)])]
    public void Replicate_SourceKilledAtAnyPoint_NextRunResendsAtMostTheBlocksInFlight(KillPoint point)
        => KillAndResumeAsync(point, killReceiver: false).GetAwaiter().GetResult();

    [Property(MaxTest = 5, Arbitrary = [typeof(KillPoints)])]
    public void Replicate_ReceiverKilledAtAnyPoint_NextRunResendsAtMostTheBlocksInFlight(KillPoint point)
        => KillAndResumeAsync(point, killReceiver: true).GetAwaiter().GetResult();

    private async Task KillAndResumeAsync(KillPoint point, bool killReceiver)
    {
        // Given: 48 MiB of random data at 200 Mbit/s (about 2 s), so that the kill lands mid-pass.
        using var rig = new LoopbackRig(output);
        Images.CreateIncompressible(rig.Image, (long)Blocks << 20, point.Seed);
        await rig.StartReceiverAsync();

        // When: kill -9 once the manifest shows the chosen number of acknowledged blocks, plus a random delay.
        using (var source = SmsProcess.Start(rig.Replicate(null, "--rate-limit", "200", "--compression", "none", "--max-in-flight", "6")))
        {
            await ManifestCounts.WaitForAcknowledgedAsync(rig.State, LoopbackRig.Volume, point.AfterAcknowledged, source);
            await Task.Delay(point.ExtraMilliseconds);
            (killReceiver ? rig.Receiver! : source).Kill9();
            var code = await source.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(code != 0 || killReceiver is false, $"the source finished despite the receiver's death: {source.StandardError}");
            if (killReceiver)
            {
                Assert.Contains("SMS.0807", source.StandardError, StringComparison.Ordinal);
            }
        }

        var atFault = ManifestCounts.Read(rig.State, LoopbackRig.Volume);
        if (killReceiver)
        {
            await rig.StartReceiverAsync();
        }

        // Then
        await rig.ResumeAndCheckAsync(atFault, MaxInFlight, $"kill -9 of the {(killReceiver ? "receiver" : "source")} after {point.AfterAcknowledged} acknowledged blocks + {point.ExtraMilliseconds} ms");
    }

    public sealed record KillPoint(int AfterAcknowledged, int ExtraMilliseconds, int Seed);

    public static class KillPoints
    {
        // No shrinker: each case is a real replication of seconds, and a failure is reported as generated.
        public static Arbitrary<KillPoint> KillPoint()
            => Arb.From(
                from after in Gen.Choose(1, Blocks - 12)
                from extra in Gen.Choose(0, 150)
                from seed in Gen.Choose(1, 1_000_000)
                select new KillPoint(after, extra, seed));
    }
}
