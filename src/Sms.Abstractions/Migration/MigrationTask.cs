using Sms.Discovery;

namespace Sms.Migration;

/// <summary>
/// One source server's migration: what it migrates, how, into which target, where it is (<see cref="Stage"/> and
/// <see cref="State"/>), what it created in the cloud, and its progress. Persisted whole by an
/// <see cref="IMigrationStore"/>; every change bumps <see cref="Version"/>.
/// </summary>
public sealed record MigrationTask
{
    /// <summary>The task id.</summary>
    /// <value>A short unique id.</value>
    public required string Id { get; init; }

    /// <summary>The task name.</summary>
    /// <value>The name.</value>
    public required string Name { get; init; }

    /// <summary>Block or file level.</summary>
    /// <value>The kind.</value>
    public required MigrationKind Kind { get; init; }

    /// <summary>What is migrated.</summary>
    /// <value>The source.</value>
    public required MigrationSource Source { get; init; }

    /// <summary>How.</summary>
    /// <value>The settings.</value>
    public MigrationSettings Settings { get; init; } = new();

    /// <summary>The lifecycle stage.</summary>
    /// <value>The stage.</value>
    public MigrationStage Stage { get; init; }

    /// <summary>What the replication is doing now.</summary>
    /// <value>The state.</value>
    public MigrationState State { get; init; }

    /// <summary>The step running now or interrupted (for example <c>final-sync</c> or <c>cutover-snapshots</c> while launching).</summary>
    /// <value><see langword="null"/> between steps.</value>
    public string? Step { get; init; }

    /// <summary>What the pending work is once resumed: the command that set the task running.</summary>
    /// <value><see langword="null"/> when nothing is pending.</value>
    public MigrationCommand? Pending { get; init; }

    /// <summary>A pause was asked for while the work ran (possibly by another process); the worker stops at once.</summary>
    /// <value><see langword="true"/> when asked.</value>
    public bool PauseRequested { get; init; }

    /// <summary>The target, once configured.</summary>
    /// <value><see langword="null"/> before.</value>
    public MigrationTarget? Target { get; init; }

    /// <summary>The feasibility findings of the checking stage (and of the target configuration).</summary>
    /// <value>Empty when none.</value>
    public IReadOnlyList<CheckFinding> Findings { get; init; } = [];

    /// <summary>Why the last step failed, while <see cref="State"/> is <see cref="MigrationState.Error"/>.</summary>
    /// <value><see langword="null"/> otherwise.</value>
    public MigrationError? Error { get; init; }

    /// <summary>Every cloud resource the task created and has not deleted yet.</summary>
    /// <value>Empty when none.</value>
    public IReadOnlyList<TrackedResource> Resources { get; init; } = [];

    /// <summary>Progress per source disk (one entry for a file tree).</summary>
    /// <value>Empty before the first pass.</value>
    public IReadOnlyList<DiskProgress> Disks { get; init; } = [];

    /// <summary>Test servers cloned from the target.</summary>
    /// <value>Empty when none.</value>
    public IReadOnlyList<CloneRecord> Clones { get; init; } = [];

    /// <summary>The number of passes that completed (the full one included).</summary>
    /// <value>From 0.</value>
    public int PassesCompleted { get; init; }

    /// <summary>How many target configurations were deleted: names the next target's creation, so a retry after a crash finds it and a new target is a new one.</summary>
    /// <value>From 0.</value>
    public int TargetGeneration { get; init; }

    /// <summary>How many launches were started (names the cutover snapshots of each).</summary>
    /// <value>From 0.</value>
    public int Launches { get; init; }

    /// <summary>How many clones were started (names each clone's resources).</summary>
    /// <value>From 0.</value>
    public int ClonesStarted { get; init; }

    /// <summary>When the task was created.</summary>
    /// <value>A UTC time.</value>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    /// <value>A UTC time.</value>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When the last pass completed.</summary>
    /// <value><see langword="null"/> before the first.</value>
    public DateTimeOffset? LastPassAt { get; init; }

    /// <summary>When continuous sync runs next by itself.</summary>
    /// <value><see langword="null"/> when on demand only or not syncing.</value>
    public DateTimeOffset? NextSyncAt { get; init; }

    /// <summary>The store's version of this record, for optimistic concurrency.</summary>
    /// <value>From 1 once stored.</value>
    public long Version { get; init; }
}
