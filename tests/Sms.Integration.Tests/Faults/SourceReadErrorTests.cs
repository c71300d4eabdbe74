using Sms.Blocks;
using Sms.Engine;
using Sms.Integration.Tests.Support;
using Sms.Receiver;
using Sms.Replication;
using Xunit.Abstractions;

namespace Sms.Integration.Tests.Faults;

/// <summary>The source disk fails to read mid-pass: an injected faulty source, and a device-mapper error target.</summary>
public sealed class SourceReadErrorTests(ITestOutputHelper output)
{
    private static readonly ReplicationSettings Settings = new() { Workers = 2, MaxBuffers = 4, MaxUnacknowledgedBlocks = 4, Compression = CompressionKind.None };

    public static TheoryData<string> Failures => ["typed", "raw EIO"];

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task ReplicateAsync_SourceReadFailsMidPass_IsSourceReadFailedAndTheNextPassResumes(string failure)
    {
        // Given: 32 MiB whose 20th read fails, as an IBlockSource of the SDK would report it (typed) or as a plain
        // IOException from a third-party source.
        using var dir = new TempDirectory();
        var image = dir["disk.img"];
        Images.CreateIncompressible(image, 32L << 20, seed: 41);
        await using var receiver = new ReplicationReceiver(new ReceiverOptions { VolumesDirectory = dir["vols"] });
        await receiver.StartAsync();
        Func<long, Exception> error = failure == "typed"
            ? offset => new SmsException(SmsErrorCode.SourceReadFailed, $"Reading '{image}' at offset {offset} failed: Input/output error")
            : offset => new IOException("Input/output error", 5);

        // When
        SmsException failed;
        await using (var faulty = new FaultyBlockSource(FileBlockSource.Open(image), 20, error))
        {
            // A pass that hangs instead of failing is the bug this guards against: it fails the test after a minute.
            failed = await Assert.ThrowsAnyAsync<SmsException>(() => new BlockReplicator().ReplicateAsync(faulty, receiver.Pairing, "disk0", dir["state"], Settings).WaitAsync(TimeSpan.FromMinutes(1)));
        }

        var atFault = ManifestCounts.Read(dir["state"], "disk0");
        ReplicationResult resumed;
        await using (var healthy = FileBlockSource.Open(image))
        {
            resumed = await new BlockReplicator().ReplicateAsync(healthy, receiver.Pairing, "disk0", dir["state"], Settings with { Verify = true });
        }

        // Then
        output.WriteLine($"{failure} read error: {failed}; then {atFault.Acknowledged} acknowledged, {atFault.Unknown} in flight; the next pass sent {resumed.BlocksSent} blocks");
        Assert.Equal(SmsErrorCode.SourceReadFailed, failed.ErrorCode);
        Assert.Contains("Input/output error", failed.Message, StringComparison.Ordinal);
        Assert.Equal(ReplicationMode.Incremental, resumed.Mode);
        Assert.Equal(atFault.Unknown + atFault.Untouched, resumed.BlocksSent);
        Assert.InRange(atFault.Unknown, 0, Settings.MaxUnacknowledgedBlocks);
        Assert.True(resumed.Verified);
        Assert.True(Images.SameBytes(image, Path.Combine(dir["vols"], "disk0.img")));
    }

    [SkippableFact]
    public async Task Replicate_DeviceWithBadSectors_FailsWithSourceReadFailedAndResumesOnceTheyRead()
    {
        // Given: a loop device over a 32 MiB image, seen through device-mapper with an error target over 1 MiB at 20 MiB.
        Skip.IfNot(Host.IsRoot, "not root: the test makes a loop device and a device-mapper table");
        var (dm, version) = Host.Run("dmsetup", "version");
        Skip.If(dm != 0 || !version.Contains("Driver version", StringComparison.Ordinal), $"no device-mapper driver in this kernel (dmsetup version says only: {version.Trim().ReplaceLineEndings(" ")})");
        using var rig = new LoopbackRig(output);
        Images.CreateIncompressible(rig.Image, 32L << 20, seed: 42);
        var loop = Host.MustRun("losetup", "--find", "--show", rig.Image).Trim();
        var name = $"sms-it-{Environment.ProcessId}";
        const long sectors = (32L << 20) / 512, badAt = (20L << 20) / 512, bad = (1L << 20) / 512;
        var broken = $"0 {badAt} linear {loop} 0\n{badAt} {bad} error\n{badAt + bad} {sectors - badAt - bad} linear {loop} {badAt + bad}\n";
        try
        {
            Host.MustRun("dmsetup", "create", name, "--table", broken);
            await rig.StartReceiverAsync();
            string[] replicate = ["replicate", "--pairing-file", rig.PairingFile, "--source", $"/dev/mapper/{name}", "--volume", LoopbackRig.Volume, "--state-dir", rig.State, "--all-blocks", "--json", "--max-in-flight", "4"];

            // When
            var failed = await SmsProcess.RunAsync(replicate);
            var atFault = ManifestCounts.Read(rig.State, LoopbackRig.Volume);
            Host.MustRun("dmsetup", "reload", name, "--table", $"0 {sectors} linear {loop} 0");
            Host.MustRun("dmsetup", "resume", name);
            var resumed = await SmsProcess.RunAsync(replicate);

            // Then
            output.WriteLine($"bad sectors at 20 MiB: {failed.Reason}; then {atFault.Acknowledged} acknowledged; the next pass sent {resumed.Summary.BlocksSent} blocks");
            Assert.Equal(1, failed.ExitCode);
            Assert.StartsWith("sms: SDK.0007:", failed.Reason, StringComparison.Ordinal);
            Assert.True(resumed.ExitCode == 0, resumed.ToString());
            Assert.Equal("incremental", resumed.Summary.Mode);
            Assert.Equal(atFault.Unknown + atFault.Untouched, resumed.Summary.BlocksSent);
            Assert.True(Images.SameBytes(rig.Image, rig.Target));
        }
        finally
        {
            Host.Run("dmsetup", "remove", "--force", name);
            Host.Run("losetup", "-d", loop);
        }
    }
}
