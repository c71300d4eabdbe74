using Sms.Migration;

namespace Sms.Workflow;

/// <summary>
/// Which command a task takes in which stage and state, as the seeds allow them: configure the target while checking
/// (or again before the first start); start only a configured task, or to resume a paused or failed one; launch and
/// clone only in continuous sync while waiting; sync in continuous sync, or once finished; no delete while running.
/// </summary>
public static class MigrationTransitions
{
    /// <summary>Whether <paramref name="command"/> is allowed now, and if not, why.</summary>
    /// <param name="stage">The task's stage.</param>
    /// <param name="state">The task's state.</param>
    /// <param name="command">The command.</param>
    /// <param name="refusal">Why not, in one sentence; <see langword="null"/> when allowed.</param>
    /// <returns><see langword="true"/> when allowed.</returns>
    public static bool IsAllowed(MigrationStage stage, MigrationState state, MigrationCommand command, out string? refusal)
    {
        var busy = state is MigrationState.Running or MigrationState.Cloning;
        refusal = command switch
        {
            MigrationCommand.ConfigureTarget when stage is MigrationStage.Checking or MigrationStage.Setting && state == MigrationState.Ready => null,
            MigrationCommand.ConfigureTarget => "the target can be configured only while checking or before the first start; delete the target configuration first",
            MigrationCommand.Start when stage == MigrationStage.Setting && state == MigrationState.Ready => null,
            MigrationCommand.Start when state is MigrationState.Paused or MigrationState.Error && stage != MigrationStage.Checking => null,
            MigrationCommand.Start when stage == MigrationStage.Checking => "configure a target first",
            MigrationCommand.Start => "only a configured task, or a paused or failed one, can be started",
            MigrationCommand.Pause when state is MigrationState.Running or MigrationState.Waiting or MigrationState.Cloning => null,
            MigrationCommand.Pause => "only running or waiting work can be paused",
            MigrationCommand.Sync when (stage == MigrationStage.Syncing && state == MigrationState.Waiting) || (stage == MigrationStage.Cutovered && state == MigrationState.Finished) => null,
            MigrationCommand.Sync => "a sync runs only in continuous sync while waiting, or once the task is finished",
            MigrationCommand.Verify when (stage == MigrationStage.Syncing && state == MigrationState.Waiting) || (stage == MigrationStage.Cutovered && state == MigrationState.Finished) => null,
            MigrationCommand.Verify => "verification runs after the full replication, while waiting or once finished",
            MigrationCommand.Launch or MigrationCommand.Clone when stage == MigrationStage.Syncing && state == MigrationState.Waiting => null,
            MigrationCommand.Launch => "the target can be launched only in continuous sync, while no sync runs",
            MigrationCommand.Clone => "a clone can be made only in continuous sync, while no sync runs",
            MigrationCommand.SetLimits => null,
            MigrationCommand.DeleteTarget when stage == MigrationStage.Checking => "no target is configured",
            MigrationCommand.DeleteTarget or MigrationCommand.Cleanup or MigrationCommand.Delete when busy => "pause the task first: its work is running",
            MigrationCommand.DeleteTarget or MigrationCommand.Cleanup or MigrationCommand.Delete => null,
            _ => "unknown command",
        };
        return refusal is null;
    }

    /// <summary>Throws unless <paramref name="command"/> is allowed for <paramref name="task"/>.</summary>
    /// <param name="task">The task.</param>
    /// <param name="command">The command.</param>
    /// <exception cref="SmsException">Not allowed (<see cref="SmsErrorCode.InvalidTransition"/>), saying why.</exception>
    public static void Ensure(MigrationTask task, MigrationCommand command)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!IsAllowed(task.Stage, task.State, command, out var refusal))
        {
            throw new SmsException(SmsErrorCode.InvalidTransition, $"Task '{task.Id}' is {Describe(task)}: {command} is not allowed ({refusal}).");
        }
    }

    /// <summary>The stage and state as people read them.</summary>
    /// <param name="task">The task.</param>
    /// <returns>For example "syncing/waiting".</returns>
    public static string Describe(MigrationTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return $"{task.Stage.ToString().ToLowerInvariant()}/{task.State.ToString().ToLowerInvariant()}";
    }
}
