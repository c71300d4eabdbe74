namespace Sms.Workflow;

/// <summary>Where and how the migration workflow keeps and runs its tasks.</summary>
public sealed class MigrationOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Sms:Migration";

    /// <summary>
    /// The agent's directory: the task store (<c>tasks.db</c>) and each task's replication state (manifests under
    /// <c>state/TASK/</c>), which is what lets a restarted host resume without redoing acknowledged work.
    /// </summary>
    /// <value>Required.</value>
    public string DataDirectory { get; set; } = string.Empty;

    /// <summary>How long a host's claim on a running task lasts without renewal; another host takes the task over after it.</summary>
    /// <value>Default 15 seconds.</value>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the background worker looks for interrupted tasks and syncs that are due.</summary>
    /// <value>Default 5 seconds.</value>
    public TimeSpan WorkerInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many tasks the background worker runs at once.</summary>
    /// <value>Default 2.</value>
    public int MaxConcurrentTasks { get; set; } = 2;

    /// <summary>How often a running pass's progress is written to the store (events go out about four times a second regardless).</summary>
    /// <value>Default 1 second.</value>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a running task looks in the store for a pause or new limits asked by another process.</summary>
    /// <value>Default 500 milliseconds.</value>
    public TimeSpan ControlPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">An option is missing or out of range.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            throw new ArgumentException("DataDirectory is required: the directory of the task store and the replication state.", nameof(DataDirectory));
        }

        if (LeaseDuration < TimeSpan.FromSeconds(1) || WorkerInterval <= TimeSpan.Zero || ProgressInterval <= TimeSpan.Zero || ControlPollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("LeaseDuration must be at least 1 second, and the intervals positive.", nameof(LeaseDuration));
        }

        if (MaxConcurrentTasks is < 1 or > 64)
        {
            throw new ArgumentException("MaxConcurrentTasks must be between 1 and 64.", nameof(MaxConcurrentTasks));
        }
    }

    /// <summary>The task store's file.</summary>
    /// <returns>A path.</returns>
    public string StorePath() => Path.Combine(DataDirectory, "tasks.db");

    /// <summary>The replication state directory of a task's disk (or file tree).</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="disk">The disk index.</param>
    /// <returns>A path.</returns>
    public string StateDirectory(string taskId, int disk) => Path.Combine(DataDirectory, "state", taskId, $"disk{disk}");
}
