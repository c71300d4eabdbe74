using System.Diagnostics;
using Sms.Discovery;
using Sms.Replication.Tests.Integration;

namespace Sms.Replication.Tests.Discovery;

/// <summary>
/// Block replication with the valid-block map, for each file system the SDK maps: the target volume (free space
/// left as zeros) must pass the file system's own checker and hold the same files.
/// </summary>
public sealed class ValidBlockReplicationTests
{
    [Fact]
    public async Task Replicate_Xfs_TargetPassesXfsRepair()
    {
        await using var h = await ReplicationHarness.StartAsync();
        var proto = h.Directory.Combine("proto.txt");
        var payload = h.Directory.Combine("payload.bin");
        File.WriteAllBytes(payload, RandomBytes(5 << 20, 1));
        File.WriteAllText(proto, $"/dummy\n0 0\nd--755 0 0\npayload.bin ---644 0 0 {payload}\n$\n");
        CreateImage(h.SourcePath, 320);
        Run("mkfs.xfs", "-q", "-f", "-p", proto, h.SourcePath);

        var result = await ReplicateWithMapAsync(h);

        Assert.True(result.Verified);
        Assert.True(result.ValidBytes < result.SourceBytes / 2, $"valid {result.ValidBytes} of {result.SourceBytes}");
        Run("xfs_repair", "-n", h.VolumePath());
        Assert.Contains("payload.bin", Run("xfs_db", "-r", "-c", "ls /", h.VolumePath()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replicate_Vfat_TargetPassesFsckFatAndHoldsTheFile()
    {
        await using var h = await ReplicationHarness.StartAsync();
        CreateImage(h.SourcePath, 64);
        Run("mkfs.vfat", "-F", "32", h.SourcePath);
        var payload = h.Directory.Combine("payload.bin");
        File.WriteAllBytes(payload, RandomBytes(3 << 20, 2));
        Run("mcopy", "-i", h.SourcePath, payload, "::/payload.bin");

        var result = await ReplicateWithMapAsync(h);

        Assert.True(result.Verified);
        Run("fsck.fat", "-n", h.VolumePath());
        var copied = h.Directory.Combine("copied.bin");
        Run("mcopy", "-i", h.VolumePath(), "::/payload.bin", copied);
        Assert.Equal(File.ReadAllBytes(payload), File.ReadAllBytes(copied));
    }

    [Fact]
    public async Task Replicate_Ntfs_TargetPassesNtfsfixAndHoldsTheFile()
    {
        await using var h = await ReplicationHarness.StartAsync();
        CreateImage(h.SourcePath, 64);
        Run("mkfs.ntfs", "-F", "-Q", "-q", h.SourcePath);
        var payload = h.Directory.Combine("payload.bin");
        File.WriteAllBytes(payload, RandomBytes(3 << 20, 3));
        Run("ntfscp", "-q", h.SourcePath, payload, "/payload.bin");

        var result = await ReplicateWithMapAsync(h);

        Assert.True(result.Verified);
        Run("ntfsfix", "-n", h.VolumePath());
        var copied = h.Directory.Combine("copied.bin");
        File.WriteAllBytes(copied, RunBytes("ntfscat", h.VolumePath(), "/payload.bin"));
        Assert.Equal(File.ReadAllBytes(payload), File.ReadAllBytes(copied));
    }

    private static async Task<ReplicationResult> ReplicateWithMapAsync(ReplicationHarness h)
    {
        var (source, inventory) = await new DiskInspector().OpenValidBlocksAsync(h.SourcePath);
        Assert.NotNull(inventory.FileSystem);
        Assert.NotNull(inventory.FileSystem!.UsedBytes);
        await using (source)
        {
            return await new Sms.Engine.BlockReplicator().ReplicateAsync(source, h.Pairing, "disk0", h.State, new ReplicationSettings { Workers = 2, MaxBuffers = 4, Verify = true });
        }
    }

    private static void CreateImage(string path, int megabytes)
    {
        using var file = File.Create(path);
        file.SetLength((long)megabytes << 20);
    }

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string Run(string tool, params string[] arguments)
        => System.Text.Encoding.UTF8.GetString(RunBytes(tool, arguments));

    private static byte[] RunBytes(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException(tool);
        using var output = new MemoryStream();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.BaseStream.CopyTo(output);
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} exited {process.ExitCode}: {stderr.Result}");
        return output.ToArray();
    }
}
