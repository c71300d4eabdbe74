namespace Sms.Migration;

/// <summary>
/// What a migration task's replication is doing now: the second axis, beside <see cref="MigrationStage"/> (Huawei SMS
/// <c>state</c>, Alibaba SMC <c>Status</c>).
/// </summary>
public enum MigrationState
{
    /// <summary>Nothing running, ready for the stage's next command (SMS <c>waiting</c>, SMC <c>Ready</c>).</summary>
    Ready = 0,

    /// <summary>Work of the stage is running (SMS <c>initialize</c>/<c>replicate</c>/<c>syncing</c>/<c>cutovering</c>, SMC <c>Running</c>).</summary>
    Running = 1,

    /// <summary>Paused by the user (SMS <c>stopped</c>, SMC <c>Stopped</c>); <see cref="MigrationCommand.Start"/> resumes where it was.</summary>
    Paused = 2,

    /// <summary>Between incremental syncs, waiting for the next one (SMC <c>Waiting</c>).</summary>
    Waiting = 3,

    /// <summary>A test copy of the target is being made from snapshots of the synced disks (SMS <c>cloning</c>).</summary>
    Cloning = 4,

    /// <summary>The stage's work failed (SMS <c>error</c>, SMC <c>InError</c>); <see cref="MigrationCommand.Start"/> retries it.</summary>
    Error = 5,

    /// <summary>The migration is complete (SMS <c>finished</c>, SMC <c>Finished</c>).</summary>
    Finished = 6,
}
