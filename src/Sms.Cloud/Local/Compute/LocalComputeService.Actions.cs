using Sms.Cloud.Local.Operations;
using Sms.Cloud.Local.Store;
using Sms.Cloud.Local.Volumes;

namespace Sms.Cloud.Local.Compute;

/// <summary>Server actions: delete, start, stop, attach, detach, lock. Each completes within the request.</summary>
internal sealed partial class LocalComputeService
{
    /// <inheritdoc/>
    /// <remarks>
    /// Refused while the server is locked or being built. With <paramref name="deleteVolumes"/> its volumes go too
    /// (refused if one has snapshots: delete those first); without, they are detached and stay available.
    /// </remarks>
    public async Task<CloudOperation> StartDeleteServerAsync(string serverId, bool deleteVolumes, CancellationToken cancellationToken = default)
    {
        LocalValidation.Id(serverId, nameof(serverId));
        var (operation, volumes) = await _context.Store.WriteAsync(
            async (c, t) =>
            {
                var server = await ServerRecord.RequireAsync(c, t, serverId, cancellationToken).ConfigureAwait(false);
                if (server.Locked)
                {
                    throw LocalCloudErrors.Locked(serverId, "delete");
                }

                await OperationStore.EnsureIdleAsync(c, t, serverId, "server", cancellationToken).ConfigureAwait(false);
                var attached = await VolumeRecord.ListAttachedAsync(c, t, serverId, cancellationToken).ConfigureAwait(false);
                if (deleteVolumes)
                {
                    foreach (var volume in attached)
                    {
                        var snapshots = await Sql.ScalarAsync(c, t, "SELECT COUNT(*) FROM snapshots WHERE volume_id = $id;", cancellationToken, ("$id", volume.Id)).ConfigureAwait(false);
                        if (snapshots > 0)
                        {
                            throw LocalCloudErrors.Conflict($"Volume '{volume.Id}' ({volume.Device}) of server '{serverId}' has {snapshots} snapshot(s): delete them first, or delete the server without its volumes.");
                        }

                        await OperationStore.EnsureIdleAsync(c, t, volume.Id, "volume", cancellationToken).ConfigureAwait(false);
                    }
                }

                await Sql.ExecuteAsync(c, t, "DELETE FROM attachments WHERE server_id = $id; DELETE FROM servers WHERE id = $id;", cancellationToken, ("$id", serverId)).ConfigureAwait(false);
                if (deleteVolumes)
                {
                    foreach (var volume in attached)
                    {
                        await Sql.ExecuteAsync(c, t, "DELETE FROM volumes WHERE id = $id;", cancellationToken, ("$id", volume.Id)).ConfigureAwait(false);
                    }
                }

                var row = await OperationStore.InsertSucceededAsync(c, t, _context, OperationKinds.DeleteServer, new Dictionary<string, string> { ["server_id"] = serverId }, cancellationToken).ConfigureAwait(false);
                return (row, deleteVolumes ? attached : []);
            },
            cancellationToken).ConfigureAwait(false);
        foreach (var volume in volumes)
        {
            LocalVolumeService.DeleteVolumeFiles(_context, volume.Id);
        }

        return new LocalOperation(_operations, operation);
    }

    /// <inheritdoc/>
    public Task<CloudOperation> StartStartServerAsync(string serverId, CancellationToken cancellationToken = default)
        => SetPowerAsync(serverId, start: true, cancellationToken);

    /// <inheritdoc/>
    public Task<CloudOperation> StartStopServerAsync(string serverId, CancellationToken cancellationToken = default)
        => SetPowerAsync(serverId, start: false, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>Allowed on a locked server (a migration attaches disks); the volume must be available and in the server's zone.</remarks>
    public async Task<CloudOperation> StartAttachVolumeAsync(string serverId, string volumeId, string? device = null, CancellationToken cancellationToken = default)
    {
        LocalValidation.Id(serverId, nameof(serverId));
        LocalValidation.Id(volumeId, nameof(volumeId));
        if (device is not null && !DeviceNames.IsValid(device))
        {
            throw LocalCloudErrors.Invalid($"The device '{device}' is not one of /dev/vda to /dev/vdz.");
        }

        var operation = await _context.Store.WriteAsync(
            async (c, t) =>
            {
                var server = await ServerRecord.RequireAsync(c, t, serverId, cancellationToken).ConfigureAwait(false);
                if (server.Status is not (ServerRecord.Active or ServerRecord.Shutoff))
                {
                    throw LocalCloudErrors.Conflict($"Server '{serverId}' is {server.Status}: volumes can be attached only to ACTIVE or SHUTOFF servers.");
                }

                var volume = await VolumeRecord.RequireAsync(c, t, volumeId, cancellationToken).ConfigureAwait(false);
                if (volume.ServerId is not null)
                {
                    throw LocalCloudErrors.Conflict($"Volume '{volumeId}' is already attached to server '{volume.ServerId}' as {volume.Device}.");
                }

                if (!volume.IsReady)
                {
                    throw LocalCloudErrors.Conflict($"Volume '{volumeId}' is {volume.Status}, not available.");
                }

                if (!string.Equals(volume.AvailabilityZone, server.AvailabilityZone, StringComparison.Ordinal))
                {
                    throw LocalCloudErrors.Conflict($"Volume '{volumeId}' is in zone {volume.AvailabilityZone} and server '{serverId}' in {server.AvailabilityZone}.");
                }

                var used = await Sql.QueryAsync(c, t, "SELECT device FROM attachments WHERE server_id = $id;", r => r.GetString(0), cancellationToken, ("$id", serverId)).ConfigureAwait(false);
                var chosen = device ?? DeviceNames.FirstFree(used) ?? throw LocalCloudErrors.Conflict($"Server '{serverId}' has no free device left.");
                if (used.Contains(chosen, StringComparer.Ordinal))
                {
                    throw LocalCloudErrors.Conflict($"Device {chosen} of server '{serverId}' is in use.");
                }

                await Sql.ExecuteAsync(
                    c,
                    t,
                    "INSERT INTO attachments (volume_id, server_id, device, boot_index) VALUES ($volume, $server, $device, $boot);",
                    cancellationToken,
                    ("$volume", volumeId),
                    ("$server", serverId),
                    ("$device", chosen),
                    ("$boot", chosen == DeviceNames.SystemDisk ? 0 : null)).ConfigureAwait(false);
                return await OperationStore.InsertSucceededAsync(c, t, _context, OperationKinds.AttachVolume, new Dictionary<string, string> { ["server_id"] = serverId, ["volume_id"] = volumeId }, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return new LocalOperation(_operations, operation);
    }

    /// <inheritdoc/>
    /// <remarks>Refused on a locked server; the system disk can be detached only from a stopped server.</remarks>
    public async Task<CloudOperation> StartDetachVolumeAsync(string serverId, string volumeId, CancellationToken cancellationToken = default)
    {
        LocalValidation.Id(serverId, nameof(serverId));
        LocalValidation.Id(volumeId, nameof(volumeId));
        var operation = await _context.Store.WriteAsync(
            async (c, t) =>
            {
                var server = await ServerRecord.RequireAsync(c, t, serverId, cancellationToken).ConfigureAwait(false);
                if (server.Locked)
                {
                    throw LocalCloudErrors.Locked(serverId, "detach a volume from");
                }

                var volume = await VolumeRecord.RequireAsync(c, t, volumeId, cancellationToken).ConfigureAwait(false);
                if (!string.Equals(volume.ServerId, serverId, StringComparison.Ordinal))
                {
                    throw LocalCloudErrors.Conflict($"Volume '{volumeId}' is not attached to server '{serverId}'.");
                }

                if (volume.BootIndex == 0 && server.Status != ServerRecord.Shutoff)
                {
                    throw LocalCloudErrors.Conflict($"Volume '{volumeId}' is the system disk of server '{serverId}', which is {server.Status}: stop the server first.");
                }

                await Sql.ExecuteAsync(c, t, "DELETE FROM attachments WHERE volume_id = $id;", cancellationToken, ("$id", volumeId)).ConfigureAwait(false);
                return await OperationStore.InsertSucceededAsync(c, t, _context, OperationKinds.DetachVolume, new Dictionary<string, string> { ["server_id"] = serverId, ["volume_id"] = volumeId }, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return new LocalOperation(_operations, operation);
    }

    /// <inheritdoc/>
    public async Task SetLockedAsync(string serverId, bool locked, CancellationToken cancellationToken = default)
    {
        LocalValidation.Id(serverId, nameof(serverId));
        await _context.Store.WriteAsync(
            async (c, t) =>
            {
                var changed = await Sql.ExecuteAsync(c, t, "UPDATE servers SET locked = $locked WHERE id = $id;", cancellationToken, ("$id", serverId), ("$locked", locked ? 1 : 0)).ConfigureAwait(false);
                return changed == 0 ? throw LocalCloudErrors.NotFound("server", serverId) : changed;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<CloudOperation> SetPowerAsync(string serverId, bool start, CancellationToken cancellationToken)
    {
        LocalValidation.Id(serverId, nameof(serverId));
        var (from, to, verb) = start ? (ServerRecord.Shutoff, ServerRecord.Active, "start") : (ServerRecord.Active, ServerRecord.Shutoff, "stop");
        var operation = await _context.Store.WriteAsync(
            async (c, t) =>
            {
                var server = await ServerRecord.RequireAsync(c, t, serverId, cancellationToken).ConfigureAwait(false);
                if (server.Locked)
                {
                    throw LocalCloudErrors.Locked(serverId, verb);
                }

                if (server.Status != from)
                {
                    throw LocalCloudErrors.Conflict($"Server '{serverId}' is {server.Status}: only a {from} server can be {(start ? "started" : "stopped")}.");
                }

                if (start)
                {
                    foreach (var volume in await VolumeRecord.ListAttachedAsync(c, t, serverId, cancellationToken).ConfigureAwait(false))
                    {
                        if (!volume.IsReady)
                        {
                            throw LocalCloudErrors.Conflict($"Volume '{volume.Id}' ({volume.Device}) of server '{serverId}' is {volume.Status}: wait for it before starting the server.");
                        }
                    }
                }

                await Sql.ExecuteAsync(c, t, "UPDATE servers SET status = $status WHERE id = $id;", cancellationToken, ("$id", serverId), ("$status", to)).ConfigureAwait(false);
                var kind = start ? OperationKinds.StartServer : OperationKinds.StopServer;
                return await OperationStore.InsertSucceededAsync(c, t, _context, kind, new Dictionary<string, string> { ["server_id"] = serverId }, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return new LocalOperation(_operations, operation);
    }
}
