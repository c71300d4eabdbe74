using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Sms.Migration;
using Sms.Workflow;

namespace Sms.Agent.Hosting.Tests.Workflow;

public sealed class MigrationHostingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sms-di-wf-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task AddMigrations_Twice_OneServiceAndOneWorker_AndTheWorkerRunsAStartedTask()
    {
        // Given: a host with the local cloud and the workflow (added twice).
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSms().AddLocalCloud(Path.Combine(_dir, "cloud")).AddMigrations(o => Configure(o));
        builder.Services.AddSms().AddMigrations(o => Configure(o));
        using var host = builder.Build();
        await host.StartAsync();
        var service = host.Services.GetRequiredService<MigrationService>();
        var task = await service.CreateTaskAsync(new MigrationTaskSpec { Disks = [SampleDisk.Create(_dir, sizeMb: 16, files: 4)], Server = WorkflowHarness.Server });
        await service.ConfigureTargetAsync(task.Id, new TargetSpec());

        // When: only the command is given; the hosted worker does the work.
        await service.StartAsync(task.Id);
        var rested = await WaitAsync(service, task.Id, static t => t.State == MigrationState.Waiting);
        await host.StopAsync();

        // Then
        Assert.Single(builder.Services, static d => d.ServiceType == typeof(MigrationService));
        Assert.Single(builder.Services, static d => d.ImplementationType?.Name == "MigrationWorkerService");
        Assert.Equal(MigrationStage.Syncing, rested.Stage);
        Assert.Equal(1, rested.PassesCompleted);
    }

    [Fact]
    public async Task AddMigrations_WithoutDataDirectory_FailsAtHostStart()
    {
        // Given
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSms().AddLocalCloud(Path.Combine(_dir, "cloud")).AddMigrations();
        using var host = builder.Build();

        // When
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        // Then
        Assert.Contains("DataDirectory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindDue_ASyncPastItsTime_IsStartedAndReturned()
    {
        // Given: a task waiting in continuous sync whose next sync was due a minute ago.
        await using var h = await WorkflowHarness.StartAsync();
        var task = await h.CreateConfiguredAsync(new MigrationSettings { SyncInterval = TimeSpan.FromHours(1) }, h.Disk(sizeMb: 16, files: 2));
        await h.Service.StartAsync(task.Id);
        var waiting = await h.Service.RunAsync(task.Id);
        Assert.InRange(waiting.NextSyncAt!.Value - waiting.LastPassAt!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
        await h.Service.Store.TryReplaceAsync(waiting with { NextSyncAt = DateTimeOffset.UtcNow.AddMinutes(-1) });

        // When
        var due = await h.Service.FindDueAsync(TimeSpan.FromMinutes(1));

        // Then
        Assert.Equal([task.Id], due);
        var started = await h.Service.GetAsync(task.Id);
        Assert.Equal((MigrationState.Running, MigrationCommand.Sync), (started.State, started.Pending));
    }

    private void Configure(MigrationOptions o)
    {
        o.DataDirectory = Path.Combine(_dir, "agent");
        o.WorkerInterval = TimeSpan.FromMilliseconds(200);
    }

    private static async Task<MigrationTask> WaitAsync(MigrationService service, string id, Func<MigrationTask, bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var task = await service.GetAsync(id, timeout.Token);
            if (done(task))
            {
                return task;
            }

            Assert.Null(task.Error);
            await Task.Delay(100, timeout.Token);
        }
    }
}
