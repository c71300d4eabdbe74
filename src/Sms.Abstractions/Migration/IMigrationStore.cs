namespace Sms.Migration;

/// <summary>
/// Where migration tasks, their audit trail and templates persist (SQLite by default; a fleet can put a server
/// database behind it). Tasks are replaced whole with optimistic concurrency; a lease marks the one host running a task.
/// </summary>
public interface IMigrationStore
{
    /// <summary>Adds a new task (its <see cref="MigrationTask.Version"/> becomes 1).</summary>
    /// <param name="task">The task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task as stored.</returns>
    /// <exception cref="SmsException">A task with that id exists (<see cref="SmsErrorCode.ResourceConflict"/>).</exception>
    Task<MigrationTask> AddAsync(MigrationTask task, CancellationToken cancellationToken = default);

    /// <summary>Reads a task.</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task, or <see langword="null"/>.</returns>
    Task<MigrationTask?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Lists every task, oldest first.</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The tasks.</returns>
    IAsyncEnumerable<MigrationTask> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces a task if nobody changed it since <paramref name="task"/>'s version was read.</summary>
    /// <param name="task">The new content, with the version it was derived from.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task as stored (version + 1), or <see langword="null"/> when the stored version differs.</returns>
    /// <exception cref="SmsException">The task does not exist (<see cref="SmsErrorCode.ResourceNotFound"/>).</exception>
    Task<MigrationTask?> TryReplaceAsync(MigrationTask task, CancellationToken cancellationToken = default);

    /// <summary>Removes a task and its lease (its audit trail stays).</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether it existed.</returns>
    Task<bool> RemoveAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Takes or renews the lease of a task for <paramref name="owner"/> until <paramref name="until"/>, if it is free, expired or already theirs.</summary>
    /// <param name="id">The task.</param>
    /// <param name="owner">Who runs it (a host and process).</param>
    /// <param name="until">When the lease expires unless renewed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether the lease is <paramref name="owner"/>'s now.</returns>
    Task<bool> TryLeaseAsync(string id, string owner, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>Reads who holds a task's lease.</summary>
    /// <param name="id">The task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The owner and expiry, or <see langword="null"/> when free.</returns>
    Task<(string Owner, DateTimeOffset Until)?> GetLeaseAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Gives a lease up.</summary>
    /// <param name="id">The task.</param>
    /// <param name="owner">The owner giving it up; another owner's lease is left alone.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task ReleaseLeaseAsync(string id, string owner, CancellationToken cancellationToken = default);

    /// <summary>Appends to the audit trail.</summary>
    /// <param name="record">The entry.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task AppendAuditAsync(AuditRecord record, CancellationToken cancellationToken = default);

    /// <summary>Reads the audit trail, oldest first.</summary>
    /// <param name="taskId">One task's entries, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The entries.</returns>
    IAsyncEnumerable<AuditRecord> ListAuditAsync(string? taskId = null, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces a migration template (a new default clears the old one's flag).</summary>
    /// <param name="template">The template.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task SaveMigrationTemplateAsync(MigrationTemplate template, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces a server template.</summary>
    /// <param name="template">The template.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task SaveServerTemplateAsync(ServerTemplate template, CancellationToken cancellationToken = default);

    /// <summary>Lists the migration templates by name.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The templates.</returns>
    Task<IReadOnlyList<MigrationTemplate>> ListMigrationTemplatesAsync(CancellationToken cancellationToken = default);

    /// <summary>Lists the server templates by name.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The templates.</returns>
    Task<IReadOnlyList<ServerTemplate>> ListServerTemplatesAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes a template of either kind.</summary>
    /// <param name="name">The name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether one existed.</returns>
    Task<bool> DeleteTemplateAsync(string name, CancellationToken cancellationToken = default);
}
