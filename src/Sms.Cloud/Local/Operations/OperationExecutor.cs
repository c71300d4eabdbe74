using Microsoft.Data.Sqlite;
using Sms.Cloud.Local.Diagnostics;
using Sms.Cloud.Local.Files;
using Sms.Cloud.Local.Store;

namespace Sms.Cloud.Local.Operations;

/// <summary>
/// Runs the work of accepted operations (inline when it is instant, otherwise in the background) and records the
/// outcome: on success the finishing transaction marks the resources ready; on failure — an error in the work, or the
/// instance that ran it gone — the resources are put in their error state (or back, for a rollback), the scratch files
/// deleted and the reason recorded for <see cref="CloudOperation.UpdateStatusAsync"/> to surface.
/// </summary>
internal sealed class OperationExecutor
{
    private const string InterruptedReason = "The local cloud provider instance that ran it stopped before it finished (its process exited?).";

    private readonly LocalCloudContext _context;

    /// <summary>Creates the executor.</summary>
    public OperationExecutor(LocalCloudContext context) => _context = context;

    /// <summary>Runs an accepted operation's work and records its outcome.</summary>
    /// <param name="operation">The running operation.</param>
    /// <param name="inline">Whether to run it before returning (instant work) rather than in the background.</param>
    /// <param name="work">The file work: it writes new files under names listed as the operation's scratch (<c>.partial</c>).</param>
    /// <param name="finish">
    /// Runs in the finishing transaction, only if the operation is still running (not declared interrupted meanwhile):
    /// renames the files into place, marks the resources ready and returns the value as JSON.
    /// </param>
    /// <returns>A task that completes when the work has (inline) or was started (background).</returns>
    public async Task RunAsync(
        OperationRow operation,
        bool inline,
        Func<CancellationToken, Task> work,
        Func<SqliteConnection, SqliteTransaction, CancellationToken, Task<string?>> finish)
    {
        if (inline)
        {
            await ExecuteAsync(operation, work, finish).ConfigureAwait(false);
        }
        else
        {
            _context.Runner.Start(operation.Id, () => ExecuteAsync(operation, work, finish));
        }
    }

    /// <summary>Reports failed the running operations whose instance is gone.</summary>
    /// <param name="cancellationToken">Cancels the scan.</param>
    /// <returns>A task.</returns>
    public async Task ReapOrphansAsync(CancellationToken cancellationToken)
    {
        var running = await _context.Store.ReadAsync((c, t) => OperationStore.ListRunningAsync(c, t, cancellationToken), cancellationToken).ConfigureAwait(false);
        foreach (var operation in running)
        {
            await ReapIfOrphanedAsync(operation, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reports an operation failed if it is running and its instance is gone.</summary>
    /// <param name="operation">The operation as read.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>Whether it was reaped.</returns>
    public async Task<bool> ReapIfOrphanedAsync(OperationRow operation, CancellationToken cancellationToken)
    {
        if (operation.Status != OperationKinds.Running
            || string.Equals(operation.Owner, _context.InstanceId, StringComparison.Ordinal)
            || InstanceLock.IsAlive(_context.Paths.InstancesDirectory, operation.Owner))
        {
            return false;
        }

        await FailAsync(operation.Id, LocalCloudErrors.OperationInterruptedCode, InterruptedReason, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Records a running operation's failure, undoing what it had started.</summary>
    /// <param name="operationId">The operation.</param>
    /// <param name="code">The provider code.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels before the commit.</param>
    /// <returns>A task.</returns>
    public async Task FailAsync(string operationId, string code, string reason, CancellationToken cancellationToken)
    {
        var failed = await _context.Store.WriteAsync(
            async (c, t) =>
            {
                var operation = await OperationStore.ReadAsync(c, t, operationId, cancellationToken).ConfigureAwait(false);
                if (operation is null || operation.Status != OperationKinds.Running)
                {
                    return null;
                }

                await CompensateAsync(c, t, operation, cancellationToken).ConfigureAwait(false);
                await OperationStore.MarkFailedAsync(c, t, operationId, code, reason, _context.Now, cancellationToken).ConfigureAwait(false);
                return operation;
            },
            cancellationToken).ConfigureAwait(false);
        if (failed is null)
        {
            return;
        }

        DeleteScratch(failed);
        LocalCloudLog.OperationFailed(_context.Logger, failed.Id, failed.Kind, reason);
    }

    private async Task ExecuteAsync(
        OperationRow operation,
        Func<CancellationToken, Task> work,
        Func<SqliteConnection, SqliteTransaction, CancellationToken, Task<string?>> finish)
    {
        var cancellationToken = CancellationToken.None;
        try
        {
            if (_context.WorkGate is { } gate)
            {
                await gate(operation.Kind, cancellationToken).ConfigureAwait(false);
            }

            await work(cancellationToken).ConfigureAwait(false);
            var finished = await _context.Store.WriteAsync(
                async (c, t) =>
                {
                    var current = await OperationStore.ReadAsync(c, t, operation.Id, cancellationToken).ConfigureAwait(false);
                    if (current?.Status != OperationKinds.Running)
                    {
                        return false;
                    }

                    var result = await finish(c, t, cancellationToken).ConfigureAwait(false);
                    return await OperationStore.MarkSucceededAsync(c, t, operation.Id, result, _context.Now, cancellationToken).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
            if (finished)
            {
                LocalCloudLog.OperationSucceeded(_context.Logger, operation.Id, operation.Kind);
            }
            else
            {
                DeleteScratch(operation); // another instance declared it interrupted meanwhile
            }
        }
#pragma warning disable CA1031 // The boundary of background work: any error becomes the operation's failure reason.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            try
            {
                await FailAsync(operation.Id, LocalCloudErrors.OperationFailedCode, Describe(ex), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception recordEx) when (recordEx is CloudRequestFailedException or IOException)
            {
                LocalCloudLog.OperationRecordFailed(_context.Logger, operation.Id, recordEx);
            }
        }
    }

    private static string Describe(Exception ex) => ex switch
    {
        FileNotFoundException notFound => $"A file it needs is missing: {notFound.FileName ?? notFound.Message}",
        _ => ex.Message,
    };

    private void DeleteScratch(OperationRow operation)
    {
        foreach (var relative in operation.Scratch)
        {
            if (_context.Resolve(relative) is { } path)
            {
                _context.Delete(path);
            }
        }
    }

    // What a failed operation leaves behind: resources it was creating are in error (a real cloud shows them so, and
    // they count against quotas until deleted); a failed rollback leaves the volume as it was.
    private static Task CompensateAsync(SqliteConnection connection, SqliteTransaction transaction, OperationRow operation, CancellationToken cancellationToken)
        => operation.Kind switch
        {
            OperationKinds.CreateVolume => Sql.ExecuteAsync(connection, transaction, "UPDATE volumes SET status = 'error' WHERE id = $id;", cancellationToken, ("$id", operation.ResourceId)),
            OperationKinds.CreateServer => Sql.ExecuteAsync(
                connection,
                transaction,
                "UPDATE servers SET status = 'ERROR' WHERE id = $id; UPDATE volumes SET status = 'error' WHERE id IN (SELECT volume_id FROM attachments WHERE server_id = $id);",
                cancellationToken,
                ("$id", operation.ResourceId)),
            OperationKinds.CreateSnapshot => Sql.ExecuteAsync(connection, transaction, "UPDATE snapshots SET status = 'error' WHERE id = $id;", cancellationToken, ("$id", operation.ResourceId)),
            OperationKinds.RollbackSnapshot => Sql.ExecuteAsync(connection, transaction, "UPDATE volumes SET status = 'available' WHERE id = $id;", cancellationToken, ("$id", operation.ResourceId)),
            OperationKinds.CreateImage => Sql.ExecuteAsync(connection, transaction, "UPDATE images SET status = 'ERROR' WHERE id = $id;", cancellationToken, ("$id", operation.ResourceId)),
            _ => Task.CompletedTask,
        };
}
