using Sms.Cloud;
using Sms.Migration;

namespace Sms.Agent.Hosting.Tests.Workflow;

/// <summary>The whole workflow on the local cloud: configure, full replication, change and sync, clone, launch, sync after launch, delete.</summary>
public sealed class MigrationStoryTests
{
    [Fact]
    public async Task Migration_FullSyncCloneLaunchAndDelete_TargetEqualsSourceAndNothingIsLeftBehind()
    {
        // Given: a partitioned ext4 source disk and a new target in the local cloud.
        await using var h = await WorkflowHarness.StartAsync();
        var disk = h.Disk();
        var before = await h.InventoryAsync();
        var task = await h.CreateConfiguredAsync(disks: disk);

        // When: full replication, then a change synced, a clone, a launch, and a sync after the launch.
        var full = await h.Service.RunAsync((await h.Service.StartAsync(task.Id)).Id);
        SampleDisk.Write(disk, "/data/new.bin", System.Security.Cryptography.RandomNumberGenerator.GetBytes(3 << 20));
        SampleDisk.Write(disk, "/data/f001.bin", [1, 2, 3]);
        await h.Service.SyncAsync(task.Id);
        var synced = await h.Service.RunAsync(task.Id);
        await h.Service.CloneAsync(task.Id);
        var cloned = await h.Service.RunAsync(task.Id);
        await h.Service.LaunchAsync(task.Id);
        var launched = await h.Service.RunAsync(task.Id);
        var target = await h.Cloud.Compute.GetServerAsync(task.Target!.ServerId);
        var volume = await h.VolumePathAsync(task, 0);

        // Then: each command rests where the seeds say, and the target holds the source's files.
        Assert.Equal((MigrationStage.Syncing, MigrationState.Waiting), (full.Stage, full.State));
        Assert.Equal("full", full.Disks[0].Mode);
        Assert.Equal((MigrationStage.Syncing, MigrationState.Waiting), (synced.Stage, synced.State));
        Assert.Equal("incremental", synced.Disks[0].Mode);
        Assert.InRange(synced.Disks[0].BytesWritten, 3 << 20, 12 << 20);
        Assert.Single(cloned.Clones);
        Assert.DoesNotContain(cloned.Resources, static r => r.Purpose == ResourcePurpose.Temporary);
        Assert.Equal((MigrationStage.Cutovered, MigrationState.Finished), (launched.Stage, launched.State));
        Assert.Equal(CloudResourceStatus.Active, target.Status);
        Assert.False(target.Locked);
        Assert.Single(launched.Resources, static r => r.Purpose == ResourcePurpose.CutoverSnapshot);
        SampleDisk.AssertFileSystemClean(volume);
        SampleDisk.AssertSameFiles(disk, volume);
        Assert.StartsWith("/dev/vda1 ", System.Text.Encoding.UTF8.GetString(SampleDisk.Read(disk, "/etc/fstab")), StringComparison.Ordinal);
        Assert.StartsWith("UUID=", System.Text.Encoding.UTF8.GetString(SampleDisk.Read(volume, "/etc/fstab")), StringComparison.Ordinal);
        var clone = await h.Cloud.Compute.GetServerAsync(cloned.Clones[0].ServerId);
        Assert.Equal(target.AvailabilityZone, clone.AvailabilityZone);

        // And: a sync after the launch (the seeds: only once finished) brings a new change over, verified, and the
        // fix-ups are applied again to what it brought back.
        SampleDisk.Write(disk, "/data/late.bin", System.Security.Cryptography.RandomNumberGenerator.GetBytes(1 << 20));
        await h.Service.SyncAsync(task.Id);
        var resynced = await h.Service.RunAsync(task.Id);
        Assert.Equal((MigrationStage.Cutovered, MigrationState.Finished), (resynced.Stage, resynced.State));
        Assert.True(resynced.Disks[0].Verified);
        Assert.False((await h.Cloud.Compute.GetServerAsync(task.Target!.ServerId)).Locked);
        SampleDisk.AssertSameFiles(disk, volume);
        Assert.StartsWith("UUID=", System.Text.Encoding.UTF8.GetString(SampleDisk.Read(volume, "/etc/fstab")), StringComparison.Ordinal);
        SampleDisk.AssertFileSystemClean(volume);

        // And: deleting the task with what it created leaves the cloud as it was.
        var deleted = await h.Service.DeleteAsync(task.Id, deleteCreatedResources: true);
        Assert.True(deleted >= 6, $"{deleted} resources deleted");
        Assert.Equal(before, await h.InventoryAsync());
    }
}
