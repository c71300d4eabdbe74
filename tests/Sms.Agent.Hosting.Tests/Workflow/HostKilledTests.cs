using Sms.Migration;

namespace Sms.Agent.Hosting.Tests.Workflow;

/// <summary>
/// A host stopped dead in any step of any stage (its run cancelled where it stood, then a new host over the same store,
/// cloud and state directory) resumes the task to the same end state, with the target equal to the source.
/// </summary>
public sealed class HostKilledTests
{
    public static TheoryData<string> Steps => new() { "lock-target", "full-replication:progress", "sync:progress", "clone", "final-sync", "cutover-snapshots", "fix-ups", "unlock", "start-target" };

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task Run_HostKilledInAStep_NewHostResumesToTheSameEnd(string killAt)
    {
        // Given
        await using var h = await WorkflowHarness.StartAsync();
        var disk = h.Disk(files: 120);
        var task = await h.CreateConfiguredAsync(new MigrationSettings { Limits = new MigrationLimits { RateLimitMbps = 400 } }, disk);
        var step = killAt.Split(':')[0];
        var onProgress = killAt.EndsWith(":progress", StringComparison.Ordinal);
        var killed = false;

        async Task<MigrationTask> RunAsync()
        {
            using var kill = new CancellationTokenSource();
            var watching = onProgress && !killed ? WatchForAsync(h, task.Id, step, kill) : Task.CompletedTask;
            h.Service.StepGate = onProgress || killed ? null : async (name, ct) =>
            {
                if (name == step)
                {
                    await kill.CancelAsync();
                    ct.ThrowIfCancellationRequested();
                }
            };
            try
            {
                return await h.Service.RunAsync(task.Id, kill.Token);
            }
            catch (OperationCanceledException)
            {
                // When: the host dies there; a new one picks the task up.
                killed = true;
                await h.RestartAsync();
                var resumed = await h.Service.GetAsync(task.Id);
                Assert.True(resumed.State is MigrationState.Running or MigrationState.Cloning, $"after the kill the task is {resumed.State}");
                return await h.Service.RunAsync(task.Id);
            }
            finally
            {
                await kill.CancelAsync();
                await watching;
            }
        }

        await h.Service.StartAsync(task.Id);
        await RunAsync();
        SampleDisk.Write(disk, "/data/changed.bin", System.Security.Cryptography.RandomNumberGenerator.GetBytes(6 << 20));
        await h.Service.SyncAsync(task.Id);
        await RunAsync();
        await h.Service.CloneAsync(task.Id);
        await RunAsync();
        await h.Service.LaunchAsync(task.Id);
        var end = await RunAsync();

        // Then
        Assert.True(killed, $"the run was never stopped at {killAt}");
        Assert.Equal((MigrationStage.Cutovered, MigrationState.Finished), (end.Stage, end.State));
        Assert.Null(end.Error);
        Assert.Single(end.Clones);
        Assert.DoesNotContain(end.Resources, static r => r.Purpose == ResourcePurpose.Temporary);
        Assert.Single(end.Resources, static r => r.Purpose == ResourcePurpose.CutoverSnapshot);
        var volume = await h.VolumePathAsync(end, 0);
        SampleDisk.AssertFileSystemClean(volume);
        SampleDisk.AssertSameFiles(disk, volume);
    }

    /// <summary>Cancels <paramref name="kill"/> once a pass of <paramref name="step"/> reports written bytes.</summary>
    private static async Task WatchForAsync(WorkflowHarness h, string taskId, string step, CancellationTokenSource kill)
    {
        try
        {
            await foreach (var e in h.Service.WatchAsync(taskId, kill.Token))
            {
                if (e.Task.Step == step && e.Kind == MigrationEventKind.Progress && e.Disk is { BytesWritten: > 0 })
                {
                    await kill.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
