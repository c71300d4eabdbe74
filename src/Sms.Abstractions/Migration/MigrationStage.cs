namespace Sms.Migration;

/// <summary>
/// Where a migration task is in its life: the lifecycle axis (Huawei SMS <c>migration_cycle</c>). The other axis,
/// what the replication is doing now, is <see cref="MigrationState"/>.
/// </summary>
public enum MigrationStage
{
    /// <summary>The source is inventoried and checked (SMS <c>checking</c>); the next step is to configure a target.</summary>
    Checking = 0,

    /// <summary>A target server is configured (SMS <c>setting</c>); <see cref="MigrationCommand.Start"/> begins the full replication.</summary>
    Setting = 1,

    /// <summary>The first, full replication of every disk or file (SMS <c>replicating</c>); the target is locked.</summary>
    Replicating = 2,

    /// <summary>Continuous synchronization (SMS <c>syncing</c>): incremental passes on demand or every interval; launch and clone are allowed here only.</summary>
    Syncing = 3,

    /// <summary>The target is being launched (SMS <c>cutovering</c>): final sync, cutover snapshots, OS fix-ups, start, unlock.</summary>
    Cutovering = 4,

    /// <summary>The target is launched (SMS <c>cutovered</c>); a further sync is allowed once the task is <see cref="MigrationState.Finished"/>.</summary>
    Cutovered = 5,
}
