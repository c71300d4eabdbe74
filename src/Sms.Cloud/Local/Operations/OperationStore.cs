using Microsoft.Data.Sqlite;
using Sms.Cloud.Local.Store;

namespace Sms.Cloud.Local.Operations;

/// <summary>Reads and writes operation rows inside the caller's transaction.</summary>
internal static class OperationStore
{
    private const string Columns = "id, kind, status, value_kind, resource_id, source_id, entities, scratch, owner, fail_code, fail_reason, result";

    /// <summary>A new operation id (32 hex digits, like a cloud job id).</summary>
    public static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>Inserts an operation.</summary>
    public static Task InsertAsync(SqliteConnection connection, SqliteTransaction transaction, OperationRow row, DateTimeOffset now, CancellationToken cancellationToken)
        => Sql.ExecuteAsync(
            connection,
            transaction,
            """
            INSERT INTO operations (id, kind, status, value_kind, resource_id, source_id, entities, scratch, owner, fail_code, fail_reason, result, created_at, finished_at)
            VALUES ($id, $kind, $status, $valueKind, $resourceId, $sourceId, $entities, $scratch, $owner, NULL, NULL, $result, $now, CASE WHEN $status = 'RUNNING' THEN NULL ELSE $now END);
            """,
            cancellationToken,
            ("$id", row.Id),
            ("$kind", row.Kind),
            ("$status", row.Status),
            ("$valueKind", row.ValueKind),
            ("$resourceId", row.ResourceId),
            ("$sourceId", row.SourceId),
            ("$entities", LocalJson.Write(row.Entities)),
            ("$scratch", LocalJson.Write(row.Scratch)),
            ("$owner", row.Owner),
            ("$result", row.Result),
            ("$now", LocalCloudStore.FormatTime(now)));

    /// <summary>Reads an operation, or <see langword="null"/>.</summary>
    public static async Task<OperationRow?> ReadAsync(SqliteConnection connection, SqliteTransaction transaction, string id, CancellationToken cancellationToken)
    {
        var rows = await Sql.QueryAsync(connection, transaction, "SELECT " + Columns + " FROM operations WHERE id = $id;", Map, cancellationToken, ("$id", id)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>The running operations.</summary>
    public static Task<List<OperationRow>> ListRunningAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
        => Sql.QueryAsync(connection, transaction, "SELECT " + Columns + " FROM operations WHERE status = 'RUNNING';", Map, cancellationToken);

    /// <summary>The running operation that creates, changes or reads <paramref name="resourceId"/>, if any.</summary>
    public static async Task<OperationRow?> FindRunningOnAsync(SqliteConnection connection, SqliteTransaction transaction, string resourceId, CancellationToken cancellationToken)
    {
        var rows = await Sql.QueryAsync(
            connection,
            transaction,
            "SELECT " + Columns + " FROM operations WHERE status = 'RUNNING' AND (resource_id = $id OR source_id = $id) LIMIT 1;",
            Map,
            cancellationToken,
            ("$id", resourceId)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Marks a running operation succeeded; false when it was not running any more.</summary>
    public static async Task<bool> MarkSucceededAsync(SqliteConnection connection, SqliteTransaction transaction, string id, string? result, DateTimeOffset now, CancellationToken cancellationToken)
        => await Sql.ExecuteAsync(
            connection,
            transaction,
            "UPDATE operations SET status = 'SUCCESS', result = $result, finished_at = $now WHERE id = $id AND status = 'RUNNING';",
            cancellationToken,
            ("$id", id),
            ("$result", result),
            ("$now", LocalCloudStore.FormatTime(now))).ConfigureAwait(false) == 1;

    /// <summary>Marks a running operation failed; false when it was not running any more.</summary>
    public static async Task<bool> MarkFailedAsync(SqliteConnection connection, SqliteTransaction transaction, string id, string code, string reason, DateTimeOffset now, CancellationToken cancellationToken)
        => await Sql.ExecuteAsync(
            connection,
            transaction,
            "UPDATE operations SET status = 'FAIL', fail_code = $code, fail_reason = $reason, finished_at = $now WHERE id = $id AND status = 'RUNNING';",
            cancellationToken,
            ("$id", id),
            ("$code", code),
            ("$reason", reason),
            ("$now", LocalCloudStore.FormatTime(now))).ConfigureAwait(false) == 1;

    /// <summary>Records an operation that completed within the request (start, stop, attach, delete…).</summary>
    /// <returns>The row.</returns>
    public static async Task<OperationRow> InsertSucceededAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        LocalCloudContext context,
        string kind,
        IReadOnlyDictionary<string, string> entities,
        CancellationToken cancellationToken)
    {
        var row = new OperationRow
        {
            Id = NewId(),
            Kind = kind,
            Status = OperationKinds.Succeeded,
            Entities = entities,
            Owner = context.InstanceId,
        };
        await InsertAsync(connection, transaction, row, context.Now, cancellationToken).ConfigureAwait(false);
        return row;
    }

    /// <summary>Refuses a change to a resource that a running operation creates, changes or reads.</summary>
    /// <exception cref="CloudRequestFailedException">One does (<see cref="SmsErrorCode.ResourceConflict"/>).</exception>
    public static async Task EnsureIdleAsync(SqliteConnection connection, SqliteTransaction transaction, string resourceId, string what, CancellationToken cancellationToken)
    {
        if (await FindRunningOnAsync(connection, transaction, resourceId, cancellationToken).ConfigureAwait(false) is { } running)
        {
            throw LocalCloudErrors.Conflict($"The {what} '{resourceId}' is in use by operation {running.Id} ({running.Kind}), which is still running: wait for it to complete.");
        }
    }

    private static OperationRow Map(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        Kind = r.GetString(1),
        Status = r.GetString(2),
        ValueKind = r.TextOrNull(3),
        ResourceId = r.TextOrNull(4),
        SourceId = r.TextOrNull(5),
        Entities = LocalJson.ReadMap(r.GetString(6)),
        Scratch = LocalJson.ReadList(r.GetString(7)),
        Owner = r.GetString(8),
        FailCode = r.TextOrNull(9),
        FailReason = r.TextOrNull(10),
        Result = r.TextOrNull(11),
    };
}
