using System.Globalization;
using System.Runtime.CompilerServices;
using Sms.Cloud.Local.Files;
using Sms.Cloud.Local.Images;
using Sms.Cloud.Local.Operations;
using Sms.Cloud.Local.Store;
using Sms.Cloud.Local.Volumes;

namespace Sms.Cloud.Local.Compute;

/// <summary>
/// Servers as records with real disks: the system disk is a copy (reflink where supported) of the image's file, or an
/// empty sparse volume when the image is <see cref="NoImage"/>; data disks are empty sparse volumes attached as
/// /dev/vdb, /dev/vdc… in order.
/// </summary>
internal sealed partial class LocalComputeService : IComputeService
{
    /// <summary>The image id that creates a server with an empty system disk.</summary>
    public const string NoImage = "none";

    private readonly LocalCloudContext _context;
    private readonly OperationExecutor _executor;
    private readonly LocalOperationSource _operations;

    /// <summary>Creates the service.</summary>
    public LocalComputeService(LocalCloudContext context, OperationExecutor executor, LocalOperationSource operations)
    {
        _context = context;
        _executor = executor;
        _operations = operations;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<CloudFlavor>> ListFlavorsAsync(string? availabilityZone = null, CancellationToken cancellationToken = default)
        => Task.FromResult(availabilityZone is null || _context.HasZone(availabilityZone) ? LocalFlavors.All : (IReadOnlyList<CloudFlavor>)[]);

    /// <inheritdoc/>
    /// <remarks>
    /// Quotas (servers, volumes, GiB) are checked and the server, its volumes and their attachments recorded in one
    /// transaction; the server is BUILD until its disks exist, then ACTIVE. Copying the image's file runs in the
    /// background unless it is a reflink.
    /// </remarks>
    public async Task<CloudOperation<CloudServer>> StartCreateServerAsync(ServerSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Validate(spec);
        var fingerprint = ClientTokens.Fingerprint(
        [
            spec.Name,
            spec.FlavorId,
            spec.ImageId,
            spec.AvailabilityZone,
            spec.VpcId,
            spec.SubnetId,
            string.Join(",", spec.SecurityGroupIds),
            spec.SystemDiskGiB.ToString(CultureInfo.InvariantCulture),
            string.Join(",", spec.DataDiskGiB.Select(g => g.ToString(CultureInfo.InvariantCulture))),
            spec.Firmware.ToString(),
            string.Join("\n", spec.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value)),
        ]);
        var serverId = Guid.NewGuid().ToString();
        var disks = new List<(string Id, int SizeGiB)> { (Guid.NewGuid().ToString(), spec.SystemDiskGiB) };
        disks.AddRange(spec.DataDiskGiB.Select(size => (Guid.NewGuid().ToString(), size)));
        var systemPath = _context.Paths.Volume(disks[0].Id);
        var systemPartial = LocalPaths.Partial(systemPath);

        var (operation, isNew, image) = await _context.Store.WriteAsync(
            async (c, t) =>
            {
                if (await ClientTokens.FindAsync(c, t, OperationKinds.CreateServer, spec.ClientToken, fingerprint, cancellationToken).ConfigureAwait(false) is { } existing)
                {
                    return ((await OperationStore.ReadAsync(c, t, existing, cancellationToken).ConfigureAwait(false))!, false, (ImageRecord?)null);
                }

                ImageRecord? source = null;
                if (!string.Equals(spec.ImageId, NoImage, StringComparison.Ordinal))
                {
                    source = await ImageRecord.RequireAsync(c, t, spec.ImageId, cancellationToken).ConfigureAwait(false);
                    if (source.Status != ImageRecord.Active)
                    {
                        throw LocalCloudErrors.Conflict($"Image '{spec.ImageId}' is {source.Status}, not active.");
                    }

                    if (source.MinDiskGiB > spec.SystemDiskGiB)
                    {
                        throw LocalCloudErrors.Invalid($"Image '{spec.ImageId}' needs a system disk of at least {source.MinDiskGiB} GiB, not {spec.SystemDiskGiB}.");
                    }
                }

                var address = await PlanNetworkAsync(c, t, spec, cancellationToken).ConfigureAwait(false);
                await Quotas.EnsureServersAsync(c, t, 1, cancellationToken).ConfigureAwait(false);
                await Quotas.EnsureVolumesAsync(c, t, disks.Count, disks.Sum(d => (long)d.SizeGiB), cancellationToken).ConfigureAwait(false);
                await InsertServerAsync(c, t, spec, serverId, address, disks, cancellationToken).ConfigureAwait(false);
                var row = new OperationRow
                {
                    Id = OperationStore.NewId(),
                    Kind = OperationKinds.CreateServer,
                    Status = OperationKinds.Running,
                    ValueKind = OperationKinds.ServerValue,
                    ResourceId = serverId,
                    SourceId = source?.Id,
                    Entities = new Dictionary<string, string> { ["server_id"] = serverId },
                    Scratch = [.. disks.Select(d => _context.Relative(_context.Paths.Volume(d.Id))), _context.Relative(systemPartial)],
                    Owner = _context.InstanceId,
                };
                await OperationStore.InsertAsync(c, t, row, _context.Now, cancellationToken).ConfigureAwait(false);
                await ClientTokens.RecordAsync(c, t, OperationKinds.CreateServer, spec.ClientToken, fingerprint, row.Id, cancellationToken).ConfigureAwait(false);
                return (row, true, source);
            },
            cancellationToken).ConfigureAwait(false);

        if (isNew)
        {
            await _executor.RunAsync(
                operation,
                inline: image is null || (_context.Reflinks && image.Format == "raw"),
                ct => BuildDisksAsync(image, disks, systemPartial, ct),
                async (c, t, ct) =>
                {
                    if (image is not null)
                    {
                        File.Move(systemPartial, systemPath);
                    }

                    await Sql.ExecuteAsync(
                        c,
                        t,
                        "UPDATE servers SET status = 'ACTIVE' WHERE id = $id; UPDATE volumes SET status = 'available' WHERE id IN (SELECT volume_id FROM attachments WHERE server_id = $id);",
                        ct,
                        ("$id", serverId)).ConfigureAwait(false);
                    return LocalOperationSource.Serialize(await ServerRecord.ReadModelAsync(c, t, serverId, ct).ConfigureAwait(false));
                }).ConfigureAwait(false);
        }

        return await _operations.GetAsync<CloudServer>(operation.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<CloudServer> GetServerAsync(string serverId, CancellationToken cancellationToken = default)
    {
        LocalValidation.Id(serverId, nameof(serverId));
        return await _context.Store.ReadAsync((c, t) => ServerRecord.ReadModelAsync(c, t, serverId, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<CloudServer> ListServersAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var servers = await _context.Store.ReadAsync(
            async (c, t) =>
            {
                var result = new List<CloudServer>();
                foreach (var server in await ServerRecord.ListAsync(c, t, cancellationToken).ConfigureAwait(false))
                {
                    result.Add(server.ToModel(await VolumeRecord.ListAttachedAsync(c, t, server.Id, cancellationToken).ConfigureAwait(false)));
                }

                return result;
            },
            cancellationToken).ConfigureAwait(false);
        foreach (var server in servers)
        {
            yield return server;
        }
    }
}
