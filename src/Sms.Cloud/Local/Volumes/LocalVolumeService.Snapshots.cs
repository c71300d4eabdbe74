using System.Runtime.CompilerServices;
using Sms.Cloud.Local.Compute;
using Sms.Cloud.Local.Diagnostics;
using Sms.Cloud.Local.Files;
using Sms.Cloud.Local.Operations;
using Sms.Cloud.Local.Store;

namespace Sms.Cloud.Local.Volumes;

/// <summary>Snapshots: <c>snapshots/ID.img</c>, reflinks of the volume file where supported, sparse copies otherwise.</summary>
internal sealed partial class LocalVolumeService
{
    /// <inheritdoc/>
    /// <remarks>
    /// With reflinks the snapshot is taken within the request: it holds the volume as it was then. Without, the
    /// sparse copy runs in the background and the snapshot holds the volume as it is while the copy runs, so nothing
    /// should write to the volume until the operation completes (the migration workflow snapshots between passes,
    /// when the block receiver is not writing).
    /// </remarks>
    public async Task<CloudOperation<CloudSnapshot>> StartCreateSnapshotAsync(string volumeId, string name, CancellationToken cancellationToken = default)
    {
        LocalValidation.Id(volumeId, nameof(volumeId));
        LocalValidation.Name(name, "snapshot");
        var id = Guid.NewGuid().ToString();
        var path = _context.Paths.Snapshot(id);
        var partial = LocalPaths.Partial(path);
        var operation = await _context.Store.WriteAsync(
            async (c, t) =>
            {
                var volume = await VolumeRecord.RequireAsync(c, t, volumeId, cancellationToken).ConfigureAwait(false);
                if (!volume.IsReady)
                {
                    throw LocalCloudErrors.Conflict($"Volume '{volumeId}' is {volume.Status}: only available or in-use volumes can be snapshotted.");
                }

                await Quotas.EnsureSnapshotsAsync(c, t, cancellationToken).ConfigureAwait(false);
                await Sql.ExecuteAsync(
                    c,
                    t,
                    "INSERT INTO snapshots (id, volume_id, name, status, size_gib, copy_method, created_at) VALUES ($id, $volume, $name, 'creating', $size, NULL, $now);",
                    cancellationToken,
                    ("$id", id),
                    ("$volume", volumeId),
                    ("$name", name),
                    ("$size", volume.SizeGiB),
                    ("$now", LocalCloudStore.FormatTime(_context.Now))).ConfigureAwait(false);
                var row = new OperationRow
                {
                    Id = OperationStore.NewId(),
                    Kind = OperationKinds.CreateSnapshot,
                    Status = OperationKinds.Running,
                    ValueKind = OperationKinds.SnapshotValue,
                    ResourceId = id,
                    SourceId = volumeId,
                    Entities = new Dictionary<string, string> { ["snapshot_id"] = id, ["volume_id"] = volumeId },
                    Scratch = [_context.Relative(partial)],
                    Owner = _context.InstanceId,
                };
                await OperationStore.InsertAsync(c, t, row, _context.Now, cancellationToken).ConfigureAwait(false);
                return row;
            },
            cancellationToken).ConfigureAwait(false);

        var method = CopyMethod.SparseCopy;
        await _executor.RunAsync(
            operation,
            inline: _context.Reflinks,
            async ct => method = await _context.CopyAsync(_context.Paths.Volume(volumeId), partial, null, ct).ConfigureAwait(false),
            async (c, t, ct) =>
            {
                File.Move(partial, path);
                await Sql.ExecuteAsync(c, t, "UPDATE snapshots SET status = 'available', copy_method = $method WHERE id = $id;", ct, ("$id", id), ("$method", method.ToString())).ConfigureAwait(false);
                return LocalOperationSource.Serialize((await SnapshotRecord.RequireAsync(c, t, id, ct).ConfigureAwait(false)).ToModel());
            }).ConfigureAwait(false);
        return await _operations.GetAsync<CloudSnapshot>(operation.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<CloudSnapshot> GetSnapshotAsync(string snapshotId, CancellationToken cancellationToken = default)
    {
        LocalValidation.Id(snapshotId, nameof(snapshotId));
        var snapshot = await _context.Store.ReadAsync((c, t) => SnapshotRecord.RequireAsync(c, t, snapshotId, cancellationToken), cancellationToken).ConfigureAwait(false);
        return snapshot.ToModel();
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<CloudSnapshot> ListSnapshotsAsync(string? volumeId = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var snapshots = await _context.Store.ReadAsync((c, t) => SnapshotRecord.ListAsync(c, t, volumeId, cancellationToken), cancellationToken).ConfigureAwait(false);
        foreach (var snapshot in snapshots)
        {
            yield return snapshot.ToModel();
        }
    }

    /// <inheritdoc/>
    public async Task<CloudOperation> StartDeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken = default)
    {
        LocalValidation.Id(snapshotId, nameof(snapshotId));
        var operation = await _context.Store.WriteAsync(
            async (c, t) =>
            {
                await SnapshotRecord.RequireAsync(c, t, snapshotId, cancellationToken).ConfigureAwait(false);
                await OperationStore.EnsureIdleAsync(c, t, snapshotId, "snapshot", cancellationToken).ConfigureAwait(false);
                await Sql.ExecuteAsync(c, t, "DELETE FROM snapshots WHERE id = $id;", cancellationToken, ("$id", snapshotId)).ConfigureAwait(false);
                return await OperationStore.InsertSucceededAsync(c, t, _context, OperationKinds.DeleteSnapshot, new Dictionary<string, string> { ["snapshot_id"] = snapshotId }, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        _context.Delete(_context.Paths.Snapshot(snapshotId));
        return new LocalOperation(_operations, operation);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// <para>
    /// As on Huawei Cloud, the volume must be detached or its server stopped. The snapshot is copied (reflinked where
    /// supported) into a new file that then replaces the volume's file in one rename, so a rollback cut short leaves
    /// the volume as it was.
    /// </para>
    /// <para>
    /// The volume's content changes under the block receiver, whose bookkeeping (<c>volumes/.sms/ID.json</c>: the
    /// volume id its source's manifest was made against, and the checkpoint of the last pass) would otherwise let the
    /// next pass send only the blocks that changed on the source since the last one — and the rolled-back blocks would
    /// never be resent. So the rollback deletes that file first: the receiver then treats the volume as one without
    /// replication state and the next pass is a full one. A receiver writing into the volume during a rollback is a
    /// misuse (the volume must not be in use).
    /// </para>
    /// </remarks>
    public async Task<CloudOperation> StartRollbackSnapshotAsync(string snapshotId, string volumeId, CancellationToken cancellationToken = default)
    {
        LocalValidation.Id(snapshotId, nameof(snapshotId));
        LocalValidation.Id(volumeId, nameof(volumeId));
        var path = _context.Paths.Volume(volumeId);
        var partial = path + ".rollback";
        var (operation, sizeBytes) = await _context.Store.WriteAsync(
            async (c, t) =>
            {
                var snapshot = await SnapshotRecord.RequireAsync(c, t, snapshotId, cancellationToken).ConfigureAwait(false);
                var volume = await VolumeRecord.RequireAsync(c, t, volumeId, cancellationToken).ConfigureAwait(false);
                if (!string.Equals(snapshot.VolumeId, volumeId, StringComparison.Ordinal))
                {
                    throw LocalCloudErrors.Invalid($"Snapshot '{snapshotId}' was taken of volume '{snapshot.VolumeId}', not '{volumeId}'.");
                }

                if (snapshot.Status != SnapshotRecord.Available)
                {
                    throw LocalCloudErrors.Conflict($"Snapshot '{snapshotId}' is {snapshot.Status}, not available.");
                }

                if (!volume.IsReady)
                {
                    throw LocalCloudErrors.Conflict($"Volume '{volumeId}' is {volume.Status}: it can be rolled back only when available.");
                }

                if (volume.ServerId is not null && volume.ServerStatus != ServerRecord.Shutoff)
                {
                    throw LocalCloudErrors.Conflict($"Volume '{volumeId}' is attached to server '{volume.ServerId}', which is {volume.ServerStatus}: stop the server or detach the volume before rolling it back.");
                }

                await OperationStore.EnsureIdleAsync(c, t, volumeId, "volume", cancellationToken).ConfigureAwait(false);
                await Sql.ExecuteAsync(c, t, "UPDATE volumes SET status = 'restoring' WHERE id = $id;", cancellationToken, ("$id", volumeId)).ConfigureAwait(false);
                var row = new OperationRow
                {
                    Id = OperationStore.NewId(),
                    Kind = OperationKinds.RollbackSnapshot,
                    Status = OperationKinds.Running,
                    ResourceId = volumeId,
                    SourceId = snapshotId,
                    Entities = new Dictionary<string, string> { ["snapshot_id"] = snapshotId, ["volume_id"] = volumeId },
                    Scratch = [_context.Relative(partial)],
                    Owner = _context.InstanceId,
                };
                await OperationStore.InsertAsync(c, t, row, _context.Now, cancellationToken).ConfigureAwait(false);
                return (row, volume.SizeBytes);
            },
            cancellationToken).ConfigureAwait(false);

        await _executor.RunAsync(
            operation,
            inline: _context.Reflinks,
            async ct =>
            {
                ClearReceiverState(volumeId, snapshotId);
                await _context.CopyAsync(_context.Paths.Snapshot(snapshotId), partial, sizeBytes, ct).ConfigureAwait(false);
            },
            async (c, t, ct) =>
            {
                File.Move(partial, path, overwrite: true);
                await Sql.ExecuteAsync(c, t, "UPDATE volumes SET status = 'available' WHERE id = $id;", ct, ("$id", volumeId)).ConfigureAwait(false);
                return null;
            }).ConfigureAwait(false);
        return await _operations.GetAsync(operation.Id, cancellationToken).ConfigureAwait(false);
    }

    // Deleted before the content changes: if the rollback then fails half-way, the next pass is full, which is safe.
    private void ClearReceiverState(string volumeId, string snapshotId)
    {
        var state = _context.Paths.ReceiverState(volumeId);
        if (File.Exists(state))
        {
            File.Delete(state);
            LocalCloudLog.ReceiverStateCleared(_context.Logger, volumeId, snapshotId, state);
        }

        if (File.Exists(state + ".tmp"))
        {
            File.Delete(state + ".tmp");
        }
    }
}
