using Sms.Integration.Tests.Support;
using Xunit.Abstractions;

namespace Sms.Integration.Tests.Faults;

/// <summary>The target's volumes directory fills up mid-pass (a small tmpfs), then gets room again.</summary>
public sealed class DiskFullTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Replicate_TargetVolumesFull_FailsWithNoSpaceAndAfterFreeingSpaceTheRerunCompletes()
    {
        // Given: the receiver's volumes dir is a 20 MiB tmpfs; the source has 48 MiB of data.
        Skip.IfNot(Host.IsRoot, "not root: the test mounts a tmpfs");
        using var holder = new TempDirectory();
        var volumes = holder["vols"];
        Directory.CreateDirectory(volumes);
        var (mounted, why) = Host.Run("mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", volumes);
        Skip.If(mounted != 0, $"cannot mount a tmpfs: {why}");
        try
        {
            using var rig = new LoopbackRig(output, volumes);
            Images.CreateIncompressible(rig.Image, 48L << 20, seed: 31);
            await rig.StartReceiverAsync();

            // When
            var full = await rig.RunAsync("--max-in-flight", "8", "--compression", "none");
            var atFault = ManifestCounts.Read(rig.State, LoopbackRig.Volume);
            Host.MustRun("mount", "-o", "remount,size=128m", volumes);

            // Then: a typed error that says what is full; the receiver keeps running, and the rerun resumes.
            output.WriteLine($"volumes full: {full.Reason}");
            Assert.Equal(1, full.ExitCode);
            Assert.StartsWith("sms: SMS.1204:", full.Reason, StringComparison.Ordinal);
            Assert.Contains("No space left on device", full.Reason, StringComparison.Ordinal);
            Assert.False(rig.Receiver!.HasExited, "the receiver died of a full disk");
            await rig.ResumeAndCheckAsync(atFault, maxInFlight: 8, "volumes dir full at 20 MiB, then grown");
        }
        finally
        {
            Host.Run("umount", "-l", volumes);
        }
    }
}
