using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Sms.Migration;

namespace Sms.Store;

/// <summary>
/// The default <see cref="IMigrationStore"/>: one SQLite file (WAL), a JSON document per task with its version and
/// lease in columns, the audit trail and the templates. Every write is one short <c>BEGIN IMMEDIATE</c> transaction,
/// so several processes (a host and the <c>sms</c> console, say) can share the file.
/// </summary>
public sealed class SqliteMigrationStore : IMigrationStore
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS tasks (
            id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            created TEXT NOT NULL,
            document TEXT NOT NULL,
            lease_owner TEXT,
            lease_until TEXT);
        CREATE TABLE IF NOT EXISTS audit (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            task_id TEXT,
            event TEXT NOT NULL,
            outcome TEXT NOT NULL,
            detail TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS audit_task ON audit(task_id, seq);
        CREATE TABLE IF NOT EXISTS templates (
            name TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            document TEXT NOT NULL);
        """;

    private readonly string _connectionString;
    private readonly TimeProvider _timeProvider;
    private volatile bool _ready;

    /// <summary>Opens (creating when missing) the store in a file.</summary>
    /// <param name="path">The database file; its directory is created.</param>
    /// <param name="timeProvider">The clock that decides when a lease has expired.</param>
    public SqliteMigrationStore(string path, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _timeProvider = timeProvider ?? TimeProvider.System;
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>The database file.</summary>
    /// <value>A full path.</value>
    public string Path { get; }

    /// <inheritdoc/>
    public Task<MigrationTask> AddAsync(MigrationTask task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        var stored = task with { Version = 1 };
        return WriteAsync(
            async (c, t) =>
            {
                if (await ScalarAsync(c, t, "SELECT COUNT(*) FROM tasks WHERE id = $id;", cancellationToken, ("$id", task.Id)).ConfigureAwait(false) is long n && n > 0)
                {
                    throw new SmsException(SmsErrorCode.ResourceConflict, $"A migration task with id '{task.Id}' exists.");
                }

                await ExecuteAsync(
                    c, t, "INSERT INTO tasks (id, version, created, document) VALUES ($id, 1, $created, $doc);", cancellationToken,
                    ("$id", task.Id), ("$created", Format(task.CreatedAt)), ("$doc", Serialize(stored))).ConfigureAwait(false);
                return stored;
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task<MigrationTask?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return ReadAsync(
            async (c, t) => await ScalarAsync(c, t, "SELECT document FROM tasks WHERE id = $id;", cancellationToken, ("$id", id)).ConfigureAwait(false) is string doc ? DeserializeTask(doc) : null,
            cancellationToken);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<MigrationTask> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var tasks = await ReadAsync(
            async (c, t) =>
            {
                return await QueryAsync(c, t, "SELECT document FROM tasks ORDER BY created, id;", static r => DeserializeTask(r.GetString(0)), cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        foreach (var task in tasks)
        {
            yield return task;
        }
    }

    /// <inheritdoc/>
    public Task<MigrationTask?> TryReplaceAsync(MigrationTask task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        var stored = task with { Version = task.Version + 1 };
        return WriteAsync<MigrationTask?>(
            async (c, t) =>
            {
                var changed = await ExecuteAsync(
                    c, t, "UPDATE tasks SET version = $next, document = $doc WHERE id = $id AND version = $version;", cancellationToken,
                    ("$id", task.Id), ("$version", task.Version), ("$next", stored.Version), ("$doc", Serialize(stored))).ConfigureAwait(false);
                if (changed == 1)
                {
                    return stored;
                }

                return await ScalarAsync(c, t, "SELECT COUNT(*) FROM tasks WHERE id = $id;", cancellationToken, ("$id", task.Id)).ConfigureAwait(false) is long n && n > 0
                    ? null
                    : throw new SmsException(SmsErrorCode.ResourceNotFound, $"There is no migration task '{task.Id}'.");
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> RemoveAsync(string id, CancellationToken cancellationToken = default)
        => WriteAsync(async (c, t) => await ExecuteAsync(c, t, "DELETE FROM tasks WHERE id = $id;", cancellationToken, ("$id", id)).ConfigureAwait(false) > 0, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> TryLeaseAsync(string id, string owner, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return WriteAsync(
            async (c, t) => await ExecuteAsync(
                c, t,
                "UPDATE tasks SET lease_owner = $owner, lease_until = $until WHERE id = $id AND (lease_owner IS NULL OR lease_owner = $owner OR lease_until < $now);",
                cancellationToken,
                ("$id", id), ("$owner", owner), ("$until", Format(until)), ("$now", Format(_timeProvider.GetUtcNow()))).ConfigureAwait(false) == 1,
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task<(string Owner, DateTimeOffset Until)?> GetLeaseAsync(string id, CancellationToken cancellationToken = default)
        => ReadAsync<(string, DateTimeOffset)?>(
            async (c, t) =>
            {
                var leases = await QueryAsync(
                    c, t, "SELECT lease_owner, lease_until FROM tasks WHERE id = $id AND lease_owner IS NOT NULL;", static r => (r.GetString(0), Parse(r.GetString(1))), cancellationToken, ("$id", id)).ConfigureAwait(false);
                return leases.Count == 0 ? null : leases[0];
            },
            cancellationToken);

    /// <inheritdoc/>
    public Task ReleaseLeaseAsync(string id, string owner, CancellationToken cancellationToken = default)
        => WriteAsync(
            (c, t) => ExecuteAsync(c, t, "UPDATE tasks SET lease_owner = NULL, lease_until = NULL WHERE id = $id AND lease_owner = $owner;", cancellationToken, ("$id", id), ("$owner", owner)),
            cancellationToken);

    /// <inheritdoc/>
    public Task AppendAuditAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return WriteAsync(
            (c, t) => ExecuteAsync(
                c, t, "INSERT INTO audit (at, task_id, event, outcome, detail) VALUES ($at, $task, $event, $outcome, $detail);", cancellationToken,
                ("$at", Format(record.At)), ("$task", record.TaskId), ("$event", record.EventName), ("$outcome", record.Outcome), ("$detail", record.Detail)),
            cancellationToken);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<AuditRecord> ListAuditAsync(string? taskId = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var records = await ReadAsync(
            async (c, t) =>
            {
                return await QueryAsync(
                    c,
                    t,
                    "SELECT at, task_id, event, outcome, detail FROM audit WHERE $task IS NULL OR task_id = $task ORDER BY seq;",
                    static r => new AuditRecord(Parse(r.GetString(0)), r.IsDBNull(1) ? null : r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4)),
                    cancellationToken,
                    ("$task", taskId)).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        foreach (var record in records)
        {
            yield return record;
        }
    }

    /// <inheritdoc/>
    public Task SaveMigrationTemplateAsync(MigrationTemplate template, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        ValidateTemplateName(template.Name);
        return WriteAsync(
            async (c, t) =>
            {
                if (template.IsDefault)
                {
                    foreach (var other in await ReadTemplatesAsync(c, t, "migration", MigrationJsonContext.Default.MigrationTemplate, cancellationToken).ConfigureAwait(false))
                    {
                        if (other.IsDefault && !string.Equals(other.Name, template.Name, StringComparison.Ordinal))
                        {
                            await UpsertTemplateAsync(c, t, other.Name, "migration", JsonSerializer.Serialize(other with { IsDefault = false }, MigrationJsonContext.Default.MigrationTemplate), cancellationToken).ConfigureAwait(false);
                        }
                    }
                }

                return await UpsertTemplateAsync(c, t, template.Name, "migration", JsonSerializer.Serialize(template, MigrationJsonContext.Default.MigrationTemplate), cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task SaveServerTemplateAsync(ServerTemplate template, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        ValidateTemplateName(template.Name);
        return WriteAsync(
            (c, t) => UpsertTemplateAsync(c, t, template.Name, "server", JsonSerializer.Serialize(template, MigrationJsonContext.Default.ServerTemplate), cancellationToken),
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<MigrationTemplate>> ListMigrationTemplatesAsync(CancellationToken cancellationToken = default)
        => ReadAsync(async (c, t) => (IReadOnlyList<MigrationTemplate>)await ReadTemplatesAsync(c, t, "migration", MigrationJsonContext.Default.MigrationTemplate, cancellationToken).ConfigureAwait(false), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<ServerTemplate>> ListServerTemplatesAsync(CancellationToken cancellationToken = default)
        => ReadAsync(async (c, t) => (IReadOnlyList<ServerTemplate>)await ReadTemplatesAsync(c, t, "server", MigrationJsonContext.Default.ServerTemplate, cancellationToken).ConfigureAwait(false), cancellationToken);

    /// <inheritdoc/>
    public Task<bool> DeleteTemplateAsync(string name, CancellationToken cancellationToken = default)
        => WriteAsync(async (c, t) => await ExecuteAsync(c, t, "DELETE FROM templates WHERE name = $name;", cancellationToken, ("$name", name)).ConfigureAwait(false) > 0, cancellationToken);

    private static void ValidateTemplateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 64)
        {
            throw new ArgumentException("A template name has 1 to 64 characters.", nameof(name));
        }
    }

    private static async Task<List<T>> ReadTemplatesAsync<T>(SqliteConnection c, SqliteTransaction t, string kind, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        return await QueryAsync(
            c, t, "SELECT document FROM templates WHERE kind = $kind ORDER BY name;", r => JsonSerializer.Deserialize(r.GetString(0), type) ?? throw Corrupt("a template"), cancellationToken, ("$kind", kind)).ConfigureAwait(false);
    }

    private static Task<int> UpsertTemplateAsync(SqliteConnection c, SqliteTransaction t, string name, string kind, string document, CancellationToken cancellationToken)
        => ExecuteAsync(
            c, t, "INSERT INTO templates (name, kind, document) VALUES ($name, $kind, $doc) ON CONFLICT(name) DO UPDATE SET kind = $kind, document = $doc;", cancellationToken,
            ("$name", name), ("$kind", kind), ("$doc", document));

    private static string Serialize(MigrationTask task) => JsonSerializer.Serialize(task, MigrationJsonContext.Default.MigrationTask);

    private static MigrationTask DeserializeTask(string document)
        => JsonSerializer.Deserialize(document, MigrationJsonContext.Default.MigrationTask) ?? throw Corrupt("a task");

    private static SmsException Corrupt(string what) => new(SmsErrorCode.InvalidState, $"The migration store holds {what} it cannot read.");

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static SqliteCommand Command(SqliteConnection c, SqliteTransaction t, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = c.CreateCommand();
        command.Transaction = t;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static async Task<int> ExecuteAsync(SqliteConnection c, SqliteTransaction t, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var command = Command(c, t, sql, parameters);
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<object?> ScalarAsync(SqliteConnection c, SqliteTransaction t, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var command = Command(c, t, sql, parameters);
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<List<T>> QueryAsync<T>(SqliteConnection c, SqliteTransaction t, string sql, Func<SqliteDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var list = new List<T>();
        var command = Command(c, t, sql, parameters);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    list.Add(map(reader));
                }
            }
        }

        return list;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (!_ready)
            {
                // Idempotent: two first calls racing both run it harmlessly.
                var command = connection.CreateCommand();
                await using (command.ConfigureAwait(false))
                {
                    command.CommandText = Schema;
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                _ready = true;
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var transaction = connection.BeginTransaction(deferred: false);
                await using (transaction.ConfigureAwait(false))
                {
                    var result = await work(connection, transaction).ConfigureAwait(false);
                    await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                    return result;
                }
            }
        }
        catch (SqliteException ex)
        {
            throw new SmsException(SmsErrorCode.InvalidState, $"The migration store '{Path}' failed: {ex.Message}", ex);
        }
    }

    private async Task<T> ReadAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var transaction = connection.BeginTransaction(deferred: true);
                await using (transaction.ConfigureAwait(false))
                {
                    return await work(connection, transaction).ConfigureAwait(false);
                }
            }
        }
        catch (SqliteException ex)
        {
            throw new SmsException(SmsErrorCode.InvalidState, $"The migration store '{Path}' failed: {ex.Message}", ex);
        }
    }
}
