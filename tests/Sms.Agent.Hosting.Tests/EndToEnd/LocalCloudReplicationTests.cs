using System.Diagnostics;
using Sms.Blocks;
using Sms.Cloud;
using Sms.Cloud.Local;
using Sms.Discovery;
using Sms.Engine;
using Sms.Receiver;
using Sms.Replication;

namespace Sms.Agent.Hosting.Tests.EndToEnd;

/// <summary>
/// The local cloud's volume files are what the block receiver writes into: create a server with a data disk,
/// replicate an ext4 disk image into it, snapshot, change and sync, roll back, and sync again.
/// </summary>
public sealed class LocalCloudReplicationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sms-e2e-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ServerVolumes_ReceiveAReplicaSnapshotAndRollBack_TargetFollowsEveryStep()
    {
        // Given: a target server with a 1 GiB data disk in the local cloud, and a receiver writing its volumes.
        await using var cloud = await LocalCloudProvider.OpenAsync(Path.Combine(_dir, "cloud"));
        var vpc = await cloud.Networks.CreateVpcAsync("migration", "192.168.0.0/16");
        var subnet = await cloud.Networks.CreateSubnetAsync(vpc.Id, "subnet", "192.168.1.0/24", "192.168.1.1");
        var flavor = (await cloud.Compute.ListFlavorsAsync())[0];
        var create = await cloud.Compute.StartCreateServerAsync(new ServerSpec
        {
            Name = "target",
            FlavorId = flavor.Id,
            ImageId = LocalCloudProvider.NoImage,
            AvailabilityZone = "local-1a",
            VpcId = vpc.Id,
            SubnetId = subnet.Id,
            SystemDiskGiB = 1,
            DataDiskGiB = [1],
        });
        var server = await create.WaitForValueAsync(TimeSpan.FromMilliseconds(50));
        var dataVolume = server.Volumes[1].VolumeId;
        await using var receiver = new ReplicationReceiver(new ReceiverOptions { VolumesDirectory = cloud.VolumesDirectory });
        await receiver.StartAsync();

        var image = Path.Combine(_dir, "source.img");
        var tree = Directory.CreateDirectory(Path.Combine(_dir, "tree")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(tree, "first.bin"), RandomBytes(3 << 20, 1));
        Run("mkfs.ext4", "-q", "-F", "-d", tree, image, "64M");
        var original = Path.Combine(_dir, "original.img");
        File.Copy(image, original);

        // When: full replication into the data disk, a snapshot, a change synced, then a rollback.
        var full = await ReplicateAsync(image, receiver, dataVolume);
        var snapshot = await (await cloud.Volumes.StartCreateSnapshotAsync(dataVolume, "cutover")).WaitForValueAsync(TimeSpan.FromMilliseconds(50));
        var added = Path.Combine(_dir, "second.bin");
        await File.WriteAllBytesAsync(added, RandomBytes(2 << 20, 2));
        Run("debugfs", "-w", "-R", $"write {added} /second.bin", image);
        var sync = await ReplicateAsync(image, receiver, dataVolume);
        var volumePath = (await cloud.Volumes.GetVolumeAsync(dataVolume)).LocalPath!;
        var afterSync = ReadPrefix(volumePath, new FileInfo(image).Length);

        await (await cloud.Compute.StartStopServerAsync(server.Id)).WaitForCompletionAsync(TimeSpan.FromMilliseconds(50));
        await (await cloud.Volumes.StartRollbackSnapshotAsync(snapshot.Id, dataVolume)).WaitForCompletionAsync(TimeSpan.FromMilliseconds(50));
        var afterRollback = ReadPrefix(volumePath, new FileInfo(image).Length);
        var again = await ReplicateAsync(image, receiver, dataVolume);

        // Then
        Assert.Equal(ReplicationMode.Full, full.Mode);
        Assert.Equal(ReplicationMode.Incremental, sync.Mode);
        Assert.True(sync.BlocksSent is > 0 and < 10);
        Assert.Equal(await File.ReadAllBytesAsync(image), afterSync.Length == 0 ? [] : TargetView(image, afterSync));
        Assert.Equal(TargetView(original, await File.ReadAllBytesAsync(original)), TargetView(original, afterRollback));
        Assert.Equal(ReplicationMode.Full, again.Mode); // the rollback reset the receiver's state: nothing stale is trusted
        Assert.True(again.Verified);
        Run("e2fsck", "-fn", volumePath);
    }

    private static async Task<ReplicationResult> ReplicateAsync(string image, ReplicationReceiver receiver, string volume)
    {
        var (source, _) = await new DiskInspector().OpenValidBlocksAsync(image);
        await using (source)
        {
            return await new BlockReplicator().ReplicateAsync(source, receiver.Pairing, volume, Path.Combine(Path.GetDirectoryName(image)!, "state"), new ReplicationSettings { Verify = true, Workers = 2, MaxBuffers = 4 });
        }
    }

    // Free space is not replicated: compare what the file system owns by zeroing, in the source image, what the
    // target holds as zeros. Allocated blocks with data differ if any byte is wrong.
    private static byte[] TargetView(string sourceImage, byte[] target)
    {
        var source = File.ReadAllBytes(sourceImage);
        Assert.Equal(source.Length, target.Length);
        for (var block = 0; block < source.Length; block += 4096)
        {
            var t = target.AsSpan(block, 4096);
            if (!t.ContainsAnyExcept((byte)0))
            {
                source.AsSpan(block, 4096).Clear();
            }
        }

        return source;
    }

    private static byte[] ReadPrefix(string path, long length)
    {
        using var file = File.OpenRead(path);
        var bytes = new byte[length];
        file.ReadExactly(bytes);
        return bytes;
    }

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static void Run(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} exited {process.ExitCode}: {stderr.Result}");
    }
}
