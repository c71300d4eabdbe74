using System.Diagnostics.Metrics;
using Sms.Migration;
using Sms.Workflow;

namespace Sms.Agent.Hosting.Tests.Workflow;

public sealed class SettingsAndTemplatesTests
{
    [Fact]
    public async Task CreateTask_WithoutSettings_TakesTheDefaultMigrationTemplate_AndAServerTemplateFillsTheTarget()
    {
        // Given
        await using var h = await WorkflowHarness.StartAsync();
        await h.Service.Store.SaveMigrationTemplateAsync(new MigrationTemplate { Name = "nightly", IsDefault = true, Settings = new MigrationSettings { SyncInterval = TimeSpan.FromDays(1), Limits = new MigrationLimits { RateLimitMbps = 300 } } });
        await h.Service.Store.SaveServerTemplateAsync(new ServerTemplate { Name = "big", AvailabilityZone = "local-1b", FlavorId = "s6.xlarge.4" });

        // When
        var task = await h.Service.CreateTaskAsync(new MigrationTaskSpec { Disks = [h.Disk(sizeMb: 16, files: 2)], Server = WorkflowHarness.Server });
        var configured = await h.Service.ConfigureTargetAsync(task.Id, new TargetSpec { ServerTemplate = "big" });
        var server = await h.Cloud.Compute.GetServerAsync(configured.Target!.ServerId);

        // Then
        Assert.Equal(TimeSpan.FromDays(1), task.Settings.SyncInterval);
        Assert.Equal(300, task.Settings.Limits.RateLimitMbps);
        Assert.Equal("local-1b", server.AvailabilityZone);
        Assert.Equal("s6.xlarge.4", server.FlavorId);
        await Assert.ThrowsAsync<SmsException>(() => h.Service.CreateTaskAsync(new MigrationTaskSpec { Disks = [h.Disk("x.img", 16, 1)], Server = WorkflowHarness.Server, MigrationTemplate = "missing" }));
    }

    [Fact]
    public async Task DeleteTarget_WithItsResources_GoesBackToChecking_AndANewTargetGetsAFullReplication()
    {
        // Given: a task replicated once.
        await using var h = await WorkflowHarness.StartAsync();
        var task = await h.CreateConfiguredAsync(disks: h.Disk(sizeMb: 24, files: 4));
        await h.Service.StartAsync(task.Id);
        await h.Service.RunAsync(task.Id);

        // When
        var reset = await h.Service.DeleteTargetAsync(task.Id, deleteCreatedResources: true);
        var emptied = await h.InventoryAsync();
        await h.Service.ConfigureTargetAsync(task.Id, new TargetSpec());
        await h.Service.StartAsync(task.Id);
        var again = await h.Service.RunAsync(task.Id);

        // Then
        Assert.Equal((MigrationStage.Checking, MigrationState.Ready), (reset.Stage, reset.State));
        Assert.Null(reset.Target);
        Assert.Empty(reset.Resources);
        Assert.Empty(emptied);
        Assert.Equal("full", again.Disks[0].Mode);
        Assert.Equal(MigrationStage.Syncing, again.Stage);
    }

    [Theory]
    [InlineData(null, 64, 8, 10)]
    [InlineData(null, 8, 6, 8)]
    [InlineData(null, 4, 2, 4)]
    [InlineData(null, 3, 1, 3)]
    [InlineData(null, 1, 1, 3)]
    public void Sizing_MemoryLimit_BoundsBuffersAndWorkersFollow(int? cpuPercent, int memoryMiB, int expectedWorkers, int expectedBuffers)
    {
        // Given: 8 workers and 8 buffers of 1 MiB by default.
        var limits = new MigrationLimits { CpuPercent = cpuPercent, MemoryMiB = memoryMiB };

        // When
        var (workers, buffers) = PassRunner.Sizing(limits, 1 << 20, defaultWorkers: 8, defaultBuffers: 8);

        // Then: memory ÷ buffer size buffers (at least 3), and two buffers more than workers.
        Assert.Equal(expectedBuffers, buffers);
        Assert.Equal(expectedWorkers, workers);
    }

    [Fact]
    public void Sizing_CpuLimit_IsAShareOfThisMachinesCores()
    {
        // When
        var (half, halfBuffers) = PassRunner.Sizing(new MigrationLimits { CpuPercent = 50 }, 1 << 20, defaultWorkers: 8, defaultBuffers: 8);
        var (none, _) = PassRunner.Sizing(new MigrationLimits(), 1 << 20, defaultWorkers: 8, defaultBuffers: 8);

        // Then
        Assert.Equal(Math.Max(1, (int)Math.Round(Environment.ProcessorCount * 0.5)), half);
        Assert.True(halfBuffers >= half + 2);
        Assert.Equal(8, none);
    }

    [Fact]
    public void BlockSettings_RateWindows_GoToTheReplicatorWhichSwitchesMidPass()
    {
        // Given
        var windows = new[] { new Sms.Replication.RateLimitWindow(new TimeOnly(22, 0), new TimeOnly(6, 0), 400), new Sms.Replication.RateLimitWindow(new TimeOnly(9, 0), new TimeOnly(18, 0), 20) };
        var settings = new MigrationSettings { Limits = new MigrationLimits { RateLimitMbps = 100, RateWindows = windows } };

        // When
        var replication = PassRunner.BlockSettings(settings);

        // Then
        Assert.Equal(100, replication.RateLimitMbps);
        Assert.Equal(windows, replication.RateLimitWindows);
        replication.Validate();
    }

    [Fact]
    public void Validate_OverlappingRateWindows_AreRefused()
    {
        // Given
        var settings = new MigrationSettings { Limits = new MigrationLimits { RateWindows = [new Sms.Replication.RateLimitWindow(new TimeOnly(8, 0), new TimeOnly(12, 0), 10), new Sms.Replication.RateLimitWindow(new TimeOnly(11, 0), new TimeOnly(13, 0), 20)] } };

        // When / Then
        Assert.Throws<ArgumentException>(settings.Validate);
    }

    [Fact]
    public async Task Run_APass_IsMeasuredByTheMeter()
    {
        // Given
        await using var h = await WorkflowHarness.StartAsync();
        var task = await h.CreateConfiguredAsync(disks: h.Disk(sizeMb: 24, files: 6));
        long sent = 0, passes = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Sms.Agent.Hosting")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "sms.migration.bytes.sent")
            {
                Interlocked.Add(ref sent, value);
            }
            else if (instrument.Name == "sms.migration.passes")
            {
                Interlocked.Add(ref passes, value);
            }
        });
        listener.Start();

        // When
        await h.Service.StartAsync(task.Id);
        var done = await h.Service.RunAsync(task.Id);

        // Then
        Assert.Equal(1, Interlocked.Read(ref passes));
        Assert.Equal(done.Disks[0].BytesSent, Interlocked.Read(ref sent));
        Assert.True(sent > 1 << 20);
    }

    [Fact]
    public async Task FileLevelTask_FullSyncAndLaunch_TreeArrivesInTheTargetsFiles()
    {
        // Given: a directory tree.
        await using var h = await WorkflowHarness.StartAsync();
        var tree = Directory.CreateDirectory(Path.Combine(h.Root, "tree")).FullName;
        Directory.CreateDirectory(Path.Combine(tree, "etc"));
        File.WriteAllText(Path.Combine(tree, "etc", "hostname"), "web01\n");
        File.WriteAllBytes(Path.Combine(tree, "data.bin"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(3 << 20));
        var task = await h.Service.CreateTaskAsync(new MigrationTaskSpec { Kind = MigrationKind.File, RootDirectory = tree, Server = WorkflowHarness.Server });
        task = await h.Service.ConfigureTargetAsync(task.Id, new TargetSpec());

        // When
        await h.Service.StartAsync(task.Id);
        await h.Service.RunAsync(task.Id);
        File.WriteAllText(Path.Combine(tree, "etc", "hostname"), "web02\n");
        await h.Service.SyncAsync(task.Id);
        var synced = await h.Service.RunAsync(task.Id);
        await h.Service.LaunchAsync(task.Id);
        var launched = await h.Service.RunAsync(task.Id);
        var target = Path.Combine(h.Cloud.RootDirectory, "files", task.Target!.ServerId);

        // Then
        Assert.Equal("incremental", synced.Disks[0].Mode);
        Assert.Equal((MigrationStage.Cutovered, MigrationState.Finished), (launched.Stage, launched.State));
        Assert.Equal("web02\n", File.ReadAllText(Path.Combine(target, "etc", "hostname")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(tree, "data.bin")), File.ReadAllBytes(Path.Combine(target, "data.bin")));
        Assert.Equal([22], (await h.Cloud.Networks.ListSecurityGroupsAsync())[0].Rules.Select(static r => r.PortMin!.Value));
    }
}
