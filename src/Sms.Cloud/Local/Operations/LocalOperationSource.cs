using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Data.Sqlite;
using Sms.Cloud.Local.Compute;
using Sms.Cloud.Local.Images;
using Sms.Cloud.Local.Store;
using Sms.Cloud.Local.Volumes;

namespace Sms.Cloud.Local.Operations;

/// <summary>
/// Makes operation objects from the store: when started, when resumed by id (by this or any later provider instance on
/// the directory), and when refreshed. A running operation whose instance is gone is reported failed on the way.
/// </summary>
internal sealed class LocalOperationSource
{
    private readonly LocalCloudContext _context;
    private readonly OperationExecutor _executor;

    /// <summary>Creates the source.</summary>
    public LocalOperationSource(LocalCloudContext context, OperationExecutor executor)
    {
        _context = context;
        _executor = executor;
    }

    /// <summary>The exception a failed operation surfaces.</summary>
    public static CloudRequestFailedException Failure(OperationRow row)
    {
        var errorCode = row.Kind switch
        {
            OperationKinds.CreateServer => SmsErrorCode.CreateServerFailed,
            OperationKinds.CreateVolume => SmsErrorCode.CreateDiskFailed,
            _ => SmsErrorCode.CloudRequestFailed,
        };
        return new CloudRequestFailedException(0, row.FailCode ?? LocalCloudErrors.OperationFailedCode, $"Operation {row.Id} ({row.Kind}) failed: {row.FailReason}", row.Id, errorCode);
    }

    /// <summary>Reads an operation's current row, reaping it first if its instance is gone.</summary>
    /// <exception cref="CloudRequestFailedException">No such operation (<see cref="SmsErrorCode.ResourceNotFound"/>).</exception>
    public async Task<OperationRow> RefreshAsync(string id, CancellationToken cancellationToken)
    {
        var row = await ReadAsync(id, cancellationToken).ConfigureAwait(false);
        if (await _executor.ReapIfOrphanedAsync(row, cancellationToken).ConfigureAwait(false))
        {
            row = await ReadAsync(id, cancellationToken).ConfigureAwait(false);
        }

        return row;
    }

    /// <summary>An operation without a value, in its current state.</summary>
    public async Task<CloudOperation> GetAsync(string id, CancellationToken cancellationToken)
        => new LocalOperation(this, await RefreshAsync(id, cancellationToken).ConfigureAwait(false));

    /// <summary>An operation with a value, in its current state.</summary>
    public async Task<CloudOperation<T>> GetAsync<T>(string id, CancellationToken cancellationToken)
        where T : class
    {
        var row = await RefreshAsync(id, cancellationToken).ConfigureAwait(false);
        var value = row.Status == OperationKinds.Succeeded ? await ReadValueAsync<T>(row, cancellationToken).ConfigureAwait(false) : null;
        return new LocalOperation<T>(this, row, value);
    }

    /// <summary>Resumes an operation by id, typed by the value it produces.</summary>
    public async Task<CloudOperation> ResumeAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        var row = await ReadAsync(id, cancellationToken).ConfigureAwait(false);
        return row.ValueKind switch
        {
            OperationKinds.ServerValue => await GetAsync<CloudServer>(id, cancellationToken).ConfigureAwait(false),
            OperationKinds.VolumeValue => await GetAsync<CloudVolume>(id, cancellationToken).ConfigureAwait(false),
            OperationKinds.SnapshotValue => await GetAsync<CloudSnapshot>(id, cancellationToken).ConfigureAwait(false),
            OperationKinds.ImageValue => await GetAsync<CloudImage>(id, cancellationToken).ConfigureAwait(false),
            _ => await GetAsync(id, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>
    /// The value of a succeeded operation: the resource as it is now, or as it was at completion when it has been
    /// deleted since.
    /// </summary>
    public async Task<T?> ReadValueAsync<T>(OperationRow row, CancellationToken cancellationToken)
        where T : class
    {
        var typeInfo = (JsonTypeInfo<T>)LocalJson.Default.GetTypeInfo(typeof(T))!;
        if (row.ResourceId is { } resourceId)
        {
            try
            {
                var live = await _context.Store.ReadAsync((c, t) => ReadResourceAsync(c, t, row.ValueKind, resourceId, cancellationToken), cancellationToken).ConfigureAwait(false);
                if (live is T value)
                {
                    return value;
                }
            }
            catch (CloudRequestFailedException ex) when (ex.ErrorCode == SmsErrorCode.ResourceNotFound)
            {
                // Deleted since: fall back to the value recorded at completion.
            }
        }

        return row.Result is { } json ? JsonSerializer.Deserialize(json, typeInfo) : null;
    }

    /// <summary>The value of a resource as JSON, recorded when an operation completes.</summary>
    public static string Serialize<T>(T value)
        where T : class
        => JsonSerializer.Serialize(value, (JsonTypeInfo<T>)LocalJson.Default.GetTypeInfo(typeof(T))!);

    private async Task<object?> ReadResourceAsync(SqliteConnection connection, SqliteTransaction transaction, string? valueKind, string id, CancellationToken cancellationToken)
        => valueKind switch
        {
            OperationKinds.ServerValue => await ServerRecord.ReadModelAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false),
            OperationKinds.VolumeValue => (await VolumeRecord.RequireAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false)).ToModel(_context.Paths),
            OperationKinds.SnapshotValue => (await SnapshotRecord.RequireAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false)).ToModel(),
            OperationKinds.ImageValue => (await ImageRecord.RequireAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false)).ToModel(),
            _ => null,
        };

    private async Task<OperationRow> ReadAsync(string id, CancellationToken cancellationToken)
        => await _context.Store.ReadAsync((c, t) => OperationStore.ReadAsync(c, t, id, cancellationToken), cancellationToken).ConfigureAwait(false)
            ?? throw LocalCloudErrors.NotFound("operation", id);
}
