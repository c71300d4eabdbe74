namespace Sms.Migration;

/// <summary>What a <see cref="MigrationEvent"/> reports.</summary>
public enum MigrationEventKind
{
    /// <summary>The stage, state or step changed.</summary>
    Changed = 0,

    /// <summary>Progress of a pass (about four a second while one runs).</summary>
    Progress = 1,

    /// <summary>A step finished, with what it did.</summary>
    StepCompleted = 2,

    /// <summary>A step failed; the task is in error (or back where it was, for a failed clone).</summary>
    Failed = 3,
}

/// <summary>An event of a task, as <c>WatchAsync</c> streams them.</summary>
/// <param name="Kind">What it reports.</param>
/// <param name="Task">The task as it is now.</param>
/// <param name="Message">A line for people.</param>
/// <param name="Disk">For progress: the disk it is about.</param>
public sealed record MigrationEvent(MigrationEventKind Kind, MigrationTask Task, string Message, DiskProgress? Disk = null);
