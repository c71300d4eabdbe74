using System.Text.Json;

namespace Sms.Cloud.Tests.Local;

/// <summary>
/// The target side of a migration on the local cloud, with the block receiver's part played by plain writes into the
/// volume files the way it makes them (<c>NAME.img</c> written in place, bookkeeping in <c>.sms/NAME.json</c>): the
/// real receiver end to end lives in the replication tests, since this project must not reference Sms.Replication.
/// </summary>
public sealed class LocalEndToEndTests : LocalCloudTestBase
{
    [Fact]
    public async Task Migration_CreateTargetWritePassSnapshotWriteAgainRollback_TargetBackAtTheFirstPass()
    {
        // Given: a locked target server with an empty system disk and one data disk
        var network = await CreateNetworkAsync();
        var group = await Cloud.Networks.CreateSecurityGroupAsync("sms", network.Vpc.Id);
        foreach (var port in new[] { 22, 8899, 8900 })
        {
            await Cloud.Networks.AddSecurityGroupRuleAsync(group.Id, new SecurityGroupRule("ingress", "tcp", port, port, "203.0.113.7/32"));
        }

        var server = await CompleteAsync(await Cloud.Compute.StartCreateServerAsync(ServerSpecFor(network, [2]) with { SecurityGroupIds = [group.Id] }));
        await Cloud.Compute.SetLockedAsync(server.Id, locked: true);
        var disks = new List<CloudVolume>();
        foreach (var attachment in server.Volumes)
        {
            disks.Add(await Cloud.Volumes.GetVolumeAsync(attachment.VolumeId));
        }

        // When: a full pass writes both disks (1 MiB blocks, holes left alone) and records the receiver's state
        var firstPass = disks.Select((d, i) => Pattern((int)MiB, 100 + i)).ToList();
        for (var i = 0; i < disks.Count; i++)
        {
            Assert.Equal(Path.Combine(VolumesDirectory, disks[i].Id + ".img"), disks[i].LocalPath);
            WriteAt(disks[i].LocalPath!, 5 * MiB, firstPass[i]);
            WriteReceiverState(disks[i].Id);
        }

        // ... the workflow stops the server to snapshot the target disks for rollback (as at launch)
        await Cloud.Compute.SetLockedAsync(server.Id, locked: false);
        await CompleteAsync(await Cloud.Compute.StartStopServerAsync(server.Id));
        var snapshots = new List<CloudSnapshot>();
        foreach (var disk in disks)
        {
            snapshots.Add(await CompleteAsync(await Cloud.Volumes.StartCreateSnapshotAsync(disk.Id, "before-launch")));
        }

        // ... an incremental pass changes blocks, then the launch fails and the target is rolled back
        for (var i = 0; i < disks.Count; i++)
        {
            WriteAt(disks[i].LocalPath!, 5 * MiB, Pattern((int)MiB, 200 + i));
            await CompleteAsync(await Cloud.Volumes.StartRollbackSnapshotAsync(snapshots[i].Id, disks[i].Id));
        }

        // Then: the disks hold the first pass, the next pass will be a full one, and the server starts again
        for (var i = 0; i < disks.Count; i++)
        {
            Assert.Equal(firstPass[i], ReadAt(disks[i].LocalPath!, 5 * MiB, (int)MiB));
            Assert.False(File.Exists(Path.Combine(VolumesDirectory, ".sms", disks[i].Id + ".json")));
        }

        await CompleteAsync(await Cloud.Compute.StartStartServerAsync(server.Id));
        Assert.Equal(CloudResourceStatus.Active, (await Cloud.Compute.GetServerAsync(server.Id)).Status);
    }

    private void WriteReceiverState(string volumeName)
    {
        var directory = Path.Combine(VolumesDirectory, ".sms");
        Directory.CreateDirectory(directory);
        File.WriteAllText(
            Path.Combine(directory, volumeName + ".json"),
            JsonSerializer.Serialize(new { volumeId = Guid.NewGuid().ToString("N"), bootId = string.Empty, clean = true }));
    }
}
