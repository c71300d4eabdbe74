using System.Globalization;
using System.Runtime.CompilerServices;
using Sms.Cloud.Local.Files;
using Sms.Cloud.Local.Operations;
using Sms.Cloud.Local.Store;

namespace Sms.Cloud.Local.Volumes;

/// <summary>
/// Volumes as sparse raw files <c>volumes/ID.img</c> (what a block receiver writes into: see
/// <see cref="CloudVolume.LocalPath"/>), and their snapshots.
/// </summary>
internal sealed partial class LocalVolumeService : IVolumeService
{
    private readonly LocalCloudContext _context;
    private readonly OperationExecutor _executor;
    private readonly LocalOperationSource _operations;

    /// <summary>Creates the service.</summary>
    public LocalVolumeService(LocalCloudContext context, OperationExecutor executor, LocalOperationSource operations)
    {
        _context = context;
        _executor = executor;
        _operations = operations;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// An empty volume is a sparse file created within the request. A volume made from a snapshot is a reflink of the
    /// snapshot's file where supported (also within the request), otherwise a sparse copy made in the background while
    /// the volume is "creating".
    /// </remarks>
    public async Task<CloudOperation<CloudVolume>> StartCreateVolumeAsync(VolumeSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        LocalValidation.Name(spec.Name, "volume");
        LocalValidation.SizeGiB(spec.SizeGiB, "volume");
        if (!_context.HasZone(spec.AvailabilityZone))
        {
            throw LocalCloudErrors.Invalid($"The availability zone '{spec.AvailabilityZone}' does not exist; the local cloud has {string.Join(", ", _context.AvailabilityZones)}.");
        }

        var fingerprint = ClientTokens.Fingerprint([spec.Name, spec.SizeGiB.ToString(CultureInfo.InvariantCulture), spec.AvailabilityZone, spec.VolumeType, spec.SnapshotId]);
        var id = Guid.NewGuid().ToString();
        var path = _context.Paths.Volume(id);
        var partial = LocalPaths.Partial(path);
        var createdFile = false;
        (OperationRow Operation, bool IsNew, SnapshotRecord? Source) plan;
        try
        {
            plan = await _context.Store.WriteAsync(
                async (c, t) =>
                {
                    if (await ClientTokens.FindAsync(c, t, OperationKinds.CreateVolume, spec.ClientToken, fingerprint, cancellationToken).ConfigureAwait(false) is { } existing)
                    {
                        return ((await OperationStore.ReadAsync(c, t, existing, cancellationToken).ConfigureAwait(false))!, false, (SnapshotRecord?)null);
                    }

                    SnapshotRecord? snapshot = null;
                    if (spec.SnapshotId is { } snapshotId)
                    {
                        snapshot = await SnapshotRecord.RequireAsync(c, t, snapshotId, cancellationToken).ConfigureAwait(false);
                        if (snapshot.Status != SnapshotRecord.Available)
                        {
                            throw LocalCloudErrors.Conflict($"Snapshot '{snapshotId}' is {snapshot.Status}, not available.");
                        }

                        if (snapshot.SizeGiB > spec.SizeGiB)
                        {
                            throw LocalCloudErrors.Invalid($"A volume made from snapshot '{snapshotId}' needs at least {snapshot.SizeGiB} GiB, not {spec.SizeGiB}.");
                        }
                    }

                    await Quotas.EnsureVolumesAsync(c, t, 1, spec.SizeGiB, cancellationToken).ConfigureAwait(false);
                    await Sql.ExecuteAsync(
                        c,
                        t,
                        "INSERT INTO volumes (id, name, size_gib, status, availability_zone, volume_type, snapshot_id, created_at) VALUES ($id, $name, $size, $status, $zone, $type, $snapshot, $now);",
                        cancellationToken,
                        ("$id", id),
                        ("$name", spec.Name),
                        ("$size", spec.SizeGiB),
                        ("$status", snapshot is null ? VolumeRecord.Available : "creating"),
                        ("$zone", spec.AvailabilityZone),
                        ("$type", spec.VolumeType),
                        ("$snapshot", spec.SnapshotId),
                        ("$now", LocalCloudStore.FormatTime(_context.Now))).ConfigureAwait(false);
                    var operation = new OperationRow
                    {
                        Id = OperationStore.NewId(),
                        Kind = OperationKinds.CreateVolume,
                        Status = snapshot is null ? OperationKinds.Succeeded : OperationKinds.Running,
                        ValueKind = OperationKinds.VolumeValue,
                        ResourceId = id,
                        SourceId = snapshot?.Id,
                        Entities = new Dictionary<string, string> { ["volume_id"] = id },
                        Scratch = snapshot is null ? [] : [_context.Relative(partial)],
                        Owner = _context.InstanceId,
                    };
                    if (snapshot is null)
                    {
                        CreateFile(path, (long)spec.SizeGiB << 30);
                        createdFile = true;
                        var volume = await VolumeRecord.RequireAsync(c, t, id, cancellationToken).ConfigureAwait(false);
                        operation = operation with { Result = LocalOperationSource.Serialize(volume.ToModel(_context.Paths)) };
                    }

                    await OperationStore.InsertAsync(c, t, operation, _context.Now, cancellationToken).ConfigureAwait(false);
                    await ClientTokens.RecordAsync(c, t, OperationKinds.CreateVolume, spec.ClientToken, fingerprint, operation.Id, cancellationToken).ConfigureAwait(false);
                    return (operation, true, snapshot);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (createdFile)
            {
                _context.Delete(path);
            }

            throw;
        }

        if (plan.IsNew && plan.Source is { } source)
        {
            await _executor.RunAsync(
                plan.Operation,
                inline: _context.Reflinks,
                async ct => await _context.CopyAsync(_context.Paths.Snapshot(source.Id), partial, (long)spec.SizeGiB << 30, ct).ConfigureAwait(false),
                async (c, t, ct) =>
                {
                    File.Move(partial, path);
                    await Sql.ExecuteAsync(c, t, "UPDATE volumes SET status = 'available' WHERE id = $id;", ct, ("$id", id)).ConfigureAwait(false);
                    return LocalOperationSource.Serialize((await VolumeRecord.RequireAsync(c, t, id, ct).ConfigureAwait(false)).ToModel(_context.Paths));
                }).ConfigureAwait(false);
        }

        return await _operations.GetAsync<CloudVolume>(plan.Operation.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<CloudVolume> GetVolumeAsync(string volumeId, CancellationToken cancellationToken = default)
    {
        LocalValidation.Id(volumeId, nameof(volumeId));
        var volume = await _context.Store.ReadAsync((c, t) => VolumeRecord.RequireAsync(c, t, volumeId, cancellationToken), cancellationToken).ConfigureAwait(false);
        return volume.ToModel(_context.Paths);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<CloudVolume> ListVolumesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var volumes = await _context.Store.ReadAsync((c, t) => VolumeRecord.ListAsync(c, t, cancellationToken), cancellationToken).ConfigureAwait(false);
        foreach (var volume in volumes)
        {
            yield return volume.ToModel(_context.Paths);
        }
    }

    /// <inheritdoc/>
    /// <remarks>The file grows within the request (the new part is a hole); attached volumes can be extended too.</remarks>
    public async Task<CloudOperation> StartExtendVolumeAsync(string volumeId, int newSizeGiB, CancellationToken cancellationToken = default)
    {
        LocalValidation.Id(volumeId, nameof(volumeId));
        var operation = await _context.Store.WriteAsync(
            async (c, t) =>
            {
                var volume = await VolumeRecord.RequireAsync(c, t, volumeId, cancellationToken).ConfigureAwait(false);
                if (!volume.IsReady)
                {
                    throw LocalCloudErrors.Conflict($"Volume '{volumeId}' is {volume.Status}: it can be extended only when available or in use.");
                }

                if (newSizeGiB <= volume.SizeGiB)
                {
                    throw LocalCloudErrors.Invalid($"The new size of volume '{volumeId}' must be larger than its {volume.SizeGiB} GiB, not {newSizeGiB}.");
                }

                LocalValidation.SizeGiB(newSizeGiB, "volume");
                await OperationStore.EnsureIdleAsync(c, t, volumeId, "volume", cancellationToken).ConfigureAwait(false);
                await Quotas.EnsureVolumesAsync(c, t, 0, newSizeGiB - volume.SizeGiB, cancellationToken).ConfigureAwait(false);
                await Sql.ExecuteAsync(c, t, "UPDATE volumes SET size_gib = $size WHERE id = $id;", cancellationToken, ("$id", volumeId), ("$size", newSizeGiB)).ConfigureAwait(false);
                GrowFile(_context.Paths.Volume(volumeId), (long)newSizeGiB << 30);
                return await OperationStore.InsertSucceededAsync(c, t, _context, OperationKinds.ExtendVolume, new Dictionary<string, string> { ["volume_id"] = volumeId }, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return new LocalOperation(_operations, operation);
    }

    /// <inheritdoc/>
    /// <remarks>Refused while the volume is attached, has snapshots or is used by a running operation.</remarks>
    public async Task<CloudOperation> StartDeleteVolumeAsync(string volumeId, CancellationToken cancellationToken = default)
    {
        LocalValidation.Id(volumeId, nameof(volumeId));
        var operation = await _context.Store.WriteAsync(
            async (c, t) =>
            {
                var volume = await VolumeRecord.RequireAsync(c, t, volumeId, cancellationToken).ConfigureAwait(false);
                if (volume.ServerId is not null)
                {
                    throw LocalCloudErrors.Conflict($"Volume '{volumeId}' is attached to server '{volume.ServerId}' as {volume.Device}: detach it first.");
                }

                var snapshots = await Sql.ScalarAsync(c, t, "SELECT COUNT(*) FROM snapshots WHERE volume_id = $id;", cancellationToken, ("$id", volumeId)).ConfigureAwait(false);
                if (snapshots > 0)
                {
                    throw LocalCloudErrors.Conflict($"Volume '{volumeId}' has {snapshots} snapshot(s): delete them first.");
                }

                await OperationStore.EnsureIdleAsync(c, t, volumeId, "volume", cancellationToken).ConfigureAwait(false);
                await Sql.ExecuteAsync(c, t, "DELETE FROM volumes WHERE id = $id;", cancellationToken, ("$id", volumeId)).ConfigureAwait(false);
                return await OperationStore.InsertSucceededAsync(c, t, _context, OperationKinds.DeleteVolume, new Dictionary<string, string> { ["volume_id"] = volumeId }, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        DeleteVolumeFiles(_context, volumeId);
        return new LocalOperation(_operations, operation);
    }

    /// <summary>Deletes a deleted volume's file and the block receiver's bookkeeping of it.</summary>
    internal static void DeleteVolumeFiles(LocalCloudContext context, string volumeId)
    {
        context.Delete(context.Paths.Volume(volumeId));
        context.Delete(context.Paths.ReceiverState(volumeId));
        context.Delete(context.Paths.ReceiverState(volumeId) + ".tmp");
    }

    /// <summary>Creates a sparse volume file, as a storage error when it cannot.</summary>
    internal static void CreateFile(string path, long length)
    {
        try
        {
            FileCloner.CreateSparse(path, length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw LocalCloudErrors.Storage(ex);
        }
    }

    private static void GrowFile(string path, long length)
    {
        try
        {
            FileCloner.Grow(path, length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw LocalCloudErrors.Storage(ex);
        }
    }
}
