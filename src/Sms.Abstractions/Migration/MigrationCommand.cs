namespace Sms.Migration;

/// <summary>A user operation on a migration task; which are allowed depends on its stage and state.</summary>
public enum MigrationCommand
{
    /// <summary>Choose or create the target server (allowed while checking, or to change a configured target that never started).</summary>
    ConfigureTarget = 0,

    /// <summary>Begin the full replication, or resume a paused or failed task where it was.</summary>
    Start = 1,

    /// <summary>Stop the running work; what was acknowledged stays acknowledged.</summary>
    Pause = 2,

    /// <summary>Run an incremental sync now: in continuous sync while waiting, or after launch once finished.</summary>
    Sync = 3,

    /// <summary>Cut over: final sync, cutover snapshots, OS fix-ups, start and unlock the target (continuous sync only).</summary>
    Launch = 4,

    /// <summary>Make a test server from snapshots of the synced disks without stopping the sync (continuous sync only).</summary>
    Clone = 5,

    /// <summary>Change the rate limit, its time windows, or the agent's CPU and memory limits.</summary>
    SetLimits = 6,

    /// <summary>Compare source and target (quick or full) and report inconsistent, missing and extra items.</summary>
    Verify = 7,

    /// <summary>Forget the target (deleting what the task created for it, if asked); the task goes back to checking.</summary>
    DeleteTarget = 8,

    /// <summary>Delete the task's temporary cloud resources left by a failure.</summary>
    Cleanup = 9,

    /// <summary>Delete the task and its temporary resources.</summary>
    Delete = 10,
}
