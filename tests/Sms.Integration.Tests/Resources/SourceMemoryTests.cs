using Sms.Compression;
using Sms.Integration.Tests.Support;
using Sms.Replication;
using Xunit.Abstractions;

namespace Sms.Integration.Tests.Resources;

/// <summary>The source agent's memory: bounded by its buffer settings, not by the disk's size.</summary>
public sealed class SourceMemoryTests(ITestOutputHelper output) : IDisposable
{
    // The .NET runtime, JIT, TLS, logging and the console itself: `sms replicate` of a 16 MiB image peaks at 54-68 MiB.
    private const long RuntimeBaseline = 80L << 20;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Replicate_16GiBSparseDiskWithDataAllOverIt_PeaksWithinTheBufferBound()
    {
        // Given: a 16 GiB sparse image with 256 KiB of random data every 16 MiB (1,024 blocks), and a 16 MiB one.
        var settings = new ReplicationSettings();
        var big = _dir["big.img"];
        var data = Images.CreateSparse(big, 16L << 30, stride: 16L << 20, extentBytes: 256 << 10, seed: 61);
        Images.CreateIncompressible(_dir["small.img"], 16L << 20, seed: 62);
        using var receiver = SmsProcess.Start("receive", "--listen", "127.0.0.1:0", "--volumes", _dir["vols"], "--pairing-file", _dir["pair.json"]);
        await Pairing.WaitAsync(_dir["pair.json"], receiver);

        // When: the default settings.
        var (smallPeak, _) = await ReplicateAsync("small");
        var (bigPeak, summary) = await ReplicateAsync("big", "--verify");

        // Then: peak <= baseline + MaxBuffers x (block + compressed block) + the manifest's entries.
        var buffers = (long)Math.Max(settings.MaxBuffers, settings.Workers + 2) * (settings.BlockSize + BlockCodec.MaxCompressedLength(settings.BlockSize));
        var manifest = Sms.Manifests.BlockManifest.CountBlocks(16L << 30, settings.BlockSize) * 16;
        var bound = RuntimeBaseline + buffers + manifest;
        output.WriteLine($"sms replicate of a 16 GiB sparse disk ({data >> 20} MiB of data in 1,024 extents, {summary.BlocksSent} blocks sent in {summary.DurationSeconds:F2} s): peak resident set {bigPeak >> 20} MiB; of a 16 MiB image: {smallPeak >> 20} MiB. Bound: {RuntimeBaseline >> 20} MiB runtime + {buffers >> 20} MiB buffers ({settings.MaxBuffers} x (1 MiB + compressed)) + {manifest >> 10} KiB manifest = {bound >> 20} MiB");
        Assert.Equal(data, summary.BytesScanned);
        Assert.InRange(bigPeak, 1, bound);
        // Reading 32 GiB of holes takes a minute: compare the blocks with data, and check the target has no more
        // allocated than those (the rest are holes, zeros on both sides).
        var target = Path.Combine(_dir["vols"], "big.img");
        Assert.True(summary.Verified);
        Assert.True(Images.SameBlocks(big, target, Enumerable.Range(0, 1024).Select(i => i * (16L << 20)), settings.BlockSize));
        Assert.InRange(Images.AllocatedBytes(target), data, (1024L * settings.BlockSize) + (1L << 20)); // + extent-tree blocks
    }

    private async Task<(long Peak, Summary Summary)> ReplicateAsync(string name, params string[] extra)
    {
        using var source = SmsProcess.Start(["replicate", "--pairing-file", _dir["pair.json"], "--source", _dir[name + ".img"], "--volume", name, "--state-dir", _dir["state"], "--json", .. extra]);
        var peak = await ProcessMemory.TrackPeakAsync(source);
        var run = await source.ResultAsync(TimeSpan.FromMinutes(3));
        Assert.True(run.ExitCode == 0, run.ToString());
        return (peak, run.Summary);
    }
}
