using Sms.Migration;
using Sms.Workflow;

namespace Sms.Agent.Hosting.Tests.Workflow;

/// <summary>Every (stage, state, command) is allowed exactly when the seeds allow it, and a refusal says why.</summary>
public sealed class TransitionTests
{
    private static readonly MigrationStage[] AllStages = Enum.GetValues<MigrationStage>();
    private static readonly MigrationState[] AllStates = Enum.GetValues<MigrationState>();

    /// <summary>The rules as the seeds state them (huawei-sms-guide-catalog §1.2–1.3, alibaba-smc-catalog §6), written out independently of the code.</summary>
    private static bool Expected(MigrationStage stage, MigrationState state, MigrationCommand command)
    {
        var busy = state is MigrationState.Running or MigrationState.Cloning;
        var waitingInSync = stage == MigrationStage.Syncing && state == MigrationState.Waiting;
        var finished = stage == MigrationStage.Cutovered && state == MigrationState.Finished;
        return command switch
        {
            // Configure Target: from the checked ("Ready") source, or again before Start.
            MigrationCommand.ConfigureTarget => state == MigrationState.Ready && stage is MigrationStage.Checking or MigrationStage.Setting,

            // Start: begins a configured task; resumes a paused ("Any running --Pause--> paused --Start--> resumes") or failed one.
            MigrationCommand.Start => (stage == MigrationStage.Setting && state == MigrationState.Ready)
                || (stage != MigrationStage.Checking && state is MigrationState.Paused or MigrationState.Error),

            // Pause: running work, or a continuous sync waiting for its next cycle.
            MigrationCommand.Pause => state is MigrationState.Running or MigrationState.Waiting or MigrationState.Cloning,

            // Sync: "Only tasks in the Finished status can be synchronized", and on demand in continuous sync.
            MigrationCommand.Sync or MigrationCommand.Verify => waitingInSync || finished,

            // Launch Target and Clone Target: "allowed only in Continuous sync".
            MigrationCommand.Launch or MigrationCommand.Clone => waitingInSync,

            // Set Migration Rate / Limits: any time.
            MigrationCommand.SetLimits => true,

            // Delete Target Configuration needs a target; nothing is deleted while running ("A Running task cannot be deleted").
            MigrationCommand.DeleteTarget => stage != MigrationStage.Checking && !busy,
            MigrationCommand.Cleanup or MigrationCommand.Delete => !busy,
            _ => false,
        };
    }

    public static TheoryData<MigrationCommand> Commands()
    {
        var data = new TheoryData<MigrationCommand>();
        foreach (var command in Enum.GetValues<MigrationCommand>())
        {
            data.Add(command);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void IsAllowed_EveryStageAndState_MatchesTheSeedsRules(MigrationCommand command)
    {
        foreach (var stage in AllStages)
        {
            foreach (var state in AllStates)
            {
                // When
                var allowed = MigrationTransitions.IsAllowed(stage, state, command, out var refusal);

                // Then
                Assert.True(Expected(stage, state, command) == allowed, $"{command} in {stage}/{state}: allowed={allowed}, the seeds say {Expected(stage, state, command)}");
                Assert.Equal(allowed, refusal is null);
            }
        }
    }

    [Fact]
    public async Task Commands_OnARealTask_AreRefusedWithTheirReasonAndChangeNothing()
    {
        // Given: a task with a configured target, not started.
        await using var h = await WorkflowHarness.StartAsync();
        var task = await h.CreateConfiguredAsync(disks: h.Disk(sizeMb: 16, files: 3));

        // When
        var launch = await Assert.ThrowsAsync<SmsException>(() => h.Service.LaunchAsync(task.Id));
        var clone = await Assert.ThrowsAsync<SmsException>(() => h.Service.CloneAsync(task.Id));
        var sync = await Assert.ThrowsAsync<SmsException>(() => h.Service.SyncAsync(task.Id));
        var after = await h.Service.GetAsync(task.Id);

        // Then
        Assert.Equal(SmsErrorCode.InvalidTransition, launch.ErrorCode);
        Assert.Contains("only in continuous sync", launch.Message, StringComparison.Ordinal);
        Assert.Equal(SmsErrorCode.InvalidTransition, clone.ErrorCode);
        Assert.Contains("setting/ready", sync.Message, StringComparison.Ordinal);
        Assert.Equal(task.Version, after.Version);
    }

    [Fact]
    public async Task Start_OnACheckingTask_SaysConfigureATargetFirst()
    {
        // Given
        await using var h = await WorkflowHarness.StartAsync();
        var task = await h.Service.CreateTaskAsync(new MigrationTaskSpec { Disks = [h.Disk(sizeMb: 16, files: 3)], Server = WorkflowHarness.Server });

        // When
        var start = await Assert.ThrowsAsync<SmsException>(() => h.Service.StartAsync(task.Id));

        // Then
        Assert.Equal(SmsErrorCode.InvalidTransition, start.ErrorCode);
        Assert.Contains("configure a target first", start.Message, StringComparison.Ordinal);
    }
}
