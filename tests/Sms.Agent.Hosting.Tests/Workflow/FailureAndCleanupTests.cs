using Sms.Cloud.Local;
using Sms.Migration;

namespace Sms.Agent.Hosting.Tests.Workflow;

public sealed class FailureAndCleanupTests
{
    [Fact]
    public async Task Clone_FailingOnAQuota_IsAnErrorWithItsCode_CleanupRemovesTheScaffolding_AndStartRetriesIt()
    {
        // Given: a synced task in a cloud that allows one volume (the target's).
        await using var h = await WorkflowHarness.StartAsync(new LocalCloudOptions { MaxVolumes = 1 });
        var task = await h.CreateConfiguredAsync(disks: h.Disk(sizeMb: 24, files: 5));
        await h.Service.StartAsync(task.Id);
        await h.Service.RunAsync(task.Id);
        var beforeClone = await h.InventoryAsync();

        // When: the clone cannot make its volume.
        await h.Service.CloneAsync(task.Id);
        var failed = await h.Service.RunAsync(task.Id);
        var leftBehind = await h.InventoryAsync();
        var cleaned = await h.Service.CleanupAsync(task.Id);
        var afterCleanup = await h.InventoryAsync();

        // Then: a typed error, the snapshot it made recorded, and deleted by the cleanup.
        Assert.Equal((MigrationStage.Syncing, MigrationState.Error), (failed.Stage, failed.State));
        Assert.Equal(SmsErrorCode.QuotaExceeded.Value, failed.Error!.Code);
        Assert.Contains(failed.Resources, static r => r is { Purpose: ResourcePurpose.Temporary, Kind: TrackedResourceKind.Snapshot });
        Assert.True(leftBehind.Count > beforeClone.Count);
        Assert.DoesNotContain(cleaned.Resources, static r => r.Purpose == ResourcePurpose.Temporary);
        Assert.Equal(beforeClone, afterCleanup);

        // And: Start retries the clone, which fails the same way while the quota holds.
        var retried = await h.Service.StartAsync(task.Id);
        Assert.Equal(MigrationState.Cloning, retried.State);
        Assert.Equal(SmsErrorCode.QuotaExceeded.Value, (await h.Service.RunAsync(task.Id)).Error!.Code);
    }

    [Fact]
    public async Task Pause_FromAnotherProcessMidPass_StopsAtOnce_AndStartResumesWithoutResendingAcknowledgedBlocks()
    {
        // Given: a full replication slowed to 80 Mbit/s.
        await using var h = await WorkflowHarness.StartAsync();
        var task = await h.CreateConfiguredAsync(new MigrationSettings { Limits = new MigrationLimits { RateLimitMbps = 80 } }, h.Disk(sizeMb: 96, files: 150));
        await h.Service.StartAsync(task.Id);
        using var other = new Sms.Workflow.MigrationService(new Sms.Store.SqliteMigrationStore(h.Options.StorePath()), h.Options, [h.Cloud]);
        var paused = false;
        h.Service.StepGate = null;

        // When: another service instance over the same store pauses it once data is flowing.
        var run = h.Service.RunAsync(task.Id);
        await foreach (var e in h.Service.WatchAsync(task.Id))
        {
            if (!paused && e.Kind == MigrationEventKind.Progress && e.Disk is { BytesWritten: > 4 << 20 })
            {
                paused = true;
                await other.PauseAsync(task.Id);
            }

            if (run.IsCompleted)
            {
                break;
            }
        }

        var stopped = await run;
        var total = stopped.Disks[0].TotalBytes;
        var written = stopped.Disks[0].BytesWritten;
        await h.Service.StartAsync(task.Id);
        await h.Service.SetLimitsAsync(task.Id, new MigrationLimits());
        var resumed = await h.Service.RunAsync(task.Id);

        // Then
        Assert.Equal((MigrationStage.Replicating, MigrationState.Paused), (stopped.Stage, stopped.State));
        Assert.InRange(written, 4 << 20, total - (1 << 20));
        Assert.Equal((MigrationStage.Syncing, MigrationState.Waiting), (resumed.Stage, resumed.State));
        Assert.Equal("incremental", resumed.Disks[0].Mode);
        Assert.True(resumed.Disks[0].BytesWritten <= total - written + (16L << 20), $"resumed wrote {resumed.Disks[0].BytesWritten} of {total}, {written} were acknowledged before the pause");
        Assert.True(resumed.Disks[0].Verified);
    }

    [Fact]
    public async Task ConfigureTarget_ExistingServerWithASmallerDisk_IsRefusedWithSms1311()
    {
        // Given: a 1 GiB server and a 2 GiB source disk.
        await using var h = await WorkflowHarness.StartAsync();
        var serverId = await NewServerAsync(h);
        var disk = Path.Combine(h.Root, "big.img");
        using (var file = File.Create(disk))
        {
            file.SetLength(2L << 30);
        }

        var task = await h.Service.CreateTaskAsync(new MigrationTaskSpec { Disks = [disk], Server = WorkflowHarness.Server });

        // When
        var refused = await Assert.ThrowsAsync<SmsException>(() => h.Service.ConfigureTargetAsync(task.Id, new TargetSpec { ExistingServerId = serverId }));

        // Then
        Assert.Equal(SmsErrorCode.TargetDiskTooSmall, refused.ErrorCode);
        Assert.Equal(MigrationStage.Checking, (await h.Service.GetAsync(task.Id)).Stage);
    }

    [Fact]
    public async Task ConfigureTarget_NewServer_NetworkFollowsTheSourceAddressAndPortsTheSeeds()
    {
        // Given: a source at 172.16.5.9 (block level, Linux).
        await using var h = await WorkflowHarness.StartAsync();

        // When
        var task = await h.CreateConfiguredAsync(disks: h.Disk(sizeMb: 16, files: 2));
        var vpcs = await h.Cloud.Networks.ListVpcsAsync();
        var groups = await h.Cloud.Networks.ListSecurityGroupsAsync();
        var server = await h.Cloud.Compute.GetServerAsync(task.Target!.ServerId);

        // Then
        Assert.Equal("172.16.0.0/12", Assert.Single(vpcs).Cidr);
        Assert.Equal([22, 8900], Assert.Single(groups).Rules.Select(r => r.PortMin!.Value).Order());
        Assert.Equal("s6.large.2", server.FlavorId); // 2 CPUs, 4 GiB: the smallest that fits
        Assert.Equal(Sms.Cloud.CloudResourceStatus.Shutoff, server.Status);
        Assert.Equal(4, task.Resources.Count); // server, VPC, subnet, security group
        Assert.All(task.Resources, static r => Assert.Equal(ResourcePurpose.Target, r.Purpose));
    }

    private static async Task<string> NewServerAsync(WorkflowHarness h)
    {
        var vpc = await h.Cloud.Networks.CreateVpcAsync("v", "10.0.0.0/16");
        var subnet = await h.Cloud.Networks.CreateSubnetAsync(vpc.Id, "s", "10.0.1.0/24", "10.0.1.1");
        var server = await (await h.Cloud.Compute.StartCreateServerAsync(new Sms.Cloud.ServerSpec
        {
            Name = "small",
            FlavorId = (await h.Cloud.Compute.ListFlavorsAsync())[0].Id,
            ImageId = LocalCloudProvider.NoImage,
            AvailabilityZone = h.Cloud.AvailabilityZones[0],
            VpcId = vpc.Id,
            SubnetId = subnet.Id,
            SystemDiskGiB = 1,
        })).WaitForValueAsync(TimeSpan.FromMilliseconds(50));
        return server.Id;
    }
}
