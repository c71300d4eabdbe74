using Microsoft.Data.Sqlite;
using Sms.Cloud.Local.Compute;
using Sms.Cloud.Local.Files;
using Sms.Cloud.Local.Operations;
using Sms.Cloud.Local.Store;
using Sms.Cloud.Local.Volumes;
using Sms.Discovery;

namespace Sms.Cloud.Local.Images;

/// <summary>
/// Images as files <c>images/ID.img</c> (raw, sparse: a reflink or sparse copy of the disk) or <c>images/ID.qcow2</c>
/// when qcow2 was asked for and qemu-img is installed.
/// </summary>
internal sealed class LocalImageService : IImageService
{
    private readonly LocalCloudContext _context;
    private readonly OperationExecutor _executor;
    private readonly LocalOperationSource _operations;

    /// <summary>Creates the service.</summary>
    public LocalImageService(LocalCloudContext context, OperationExecutor executor, LocalOperationSource operations)
    {
        _context = context;
        _executor = executor;
        _operations = operations;
    }

    /// <inheritdoc/>
    /// <remarks>The server must be stopped; the image is made of its system disk and boots as the server did.</remarks>
    public Task<CloudOperation<CloudImage>> StartCreateImageFromServerAsync(string serverId, string name, CancellationToken cancellationToken = default)
    {
        LocalValidation.Id(serverId, nameof(serverId));
        LocalValidation.Name(name, "image");
        return StartAsync(
            name,
            async (c, t) =>
            {
                var server = await ServerRecord.RequireAsync(c, t, serverId, cancellationToken).ConfigureAwait(false);
                if (server.Status != ServerRecord.Shutoff)
                {
                    throw LocalCloudErrors.Conflict($"Server '{serverId}' is {server.Status}: stop it before making an image of it.");
                }

                var attached = await VolumeRecord.ListAttachedAsync(c, t, serverId, cancellationToken).ConfigureAwait(false);
                var system = attached.Find(v => v.BootIndex == 0)
                    ?? throw LocalCloudErrors.Conflict($"Server '{serverId}' has no system disk attached.");
                return FromVolume(system, server.Firmware, "server", serverId);
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task<CloudOperation<CloudImage>> StartCreateImageFromVolumeAsync(string volumeId, string name, CancellationToken cancellationToken = default)
    {
        LocalValidation.Id(volumeId, nameof(volumeId));
        LocalValidation.Name(name, "image");
        return StartAsync(
            name,
            async (c, t) => FromVolume(await VolumeRecord.RequireAsync(c, t, volumeId, cancellationToken).ConfigureAwait(false), FirmwareType.Bios, "volume", volumeId),
            cancellationToken);
    }

    /// <summary>Starts importing a raw disk image file as an image.</summary>
    /// <param name="sourcePath">The raw disk image.</param>
    /// <param name="name">The image name.</param>
    /// <param name="firmware">How servers made from it boot.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The operation; its value is the image.</returns>
    public Task<CloudOperation<CloudImage>> StartImportImageAsync(string sourcePath, string name, FirmwareType firmware, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourcePath);
        LocalValidation.Name(name, "image");
        var file = Path.GetFullPath(sourcePath);
        if (!File.Exists(file))
        {
            throw LocalCloudErrors.Invalid($"The image file '{file}' does not exist.");
        }

        var minDiskGiB = (int)Math.Max(1, (new FileInfo(file).Length + (1L << 30) - 1) >> 30);
        var source = new ImageSource(file, null, firmware, minDiskGiB, "file", file);
        return StartAsync(name, (_, _) => Task.FromResult(source), cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<CloudImage> GetImageAsync(string imageId, CancellationToken cancellationToken = default)
    {
        LocalValidation.Id(imageId, nameof(imageId));
        var image = await _context.Store.ReadAsync((c, t) => ImageRecord.RequireAsync(c, t, imageId, cancellationToken), cancellationToken).ConfigureAwait(false);
        return image.ToModel();
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<CloudImage>> ListImagesAsync(CancellationToken cancellationToken = default)
    {
        var images = await _context.Store.ReadAsync((c, t) => ImageRecord.ListAsync(c, t, cancellationToken), cancellationToken).ConfigureAwait(false);
        return [.. images.Select(i => i.ToModel())];
    }

    /// <inheritdoc/>
    /// <remarks>Refused while an image is being made or a server's system disk is being copied from it.</remarks>
    public async Task DeleteImageAsync(string imageId, CancellationToken cancellationToken = default)
    {
        LocalValidation.Id(imageId, nameof(imageId));
        var image = await _context.Store.WriteAsync(
            async (c, t) =>
            {
                var found = await ImageRecord.RequireAsync(c, t, imageId, cancellationToken).ConfigureAwait(false);
                await OperationStore.EnsureIdleAsync(c, t, imageId, "image", cancellationToken).ConfigureAwait(false);
                await Sql.ExecuteAsync(c, t, "DELETE FROM images WHERE id = $id;", cancellationToken, ("$id", imageId)).ConfigureAwait(false);
                return found;
            },
            cancellationToken).ConfigureAwait(false);
        _context.Delete(_context.Paths.Image(imageId, image.Format));
    }

    private ImageSource FromVolume(VolumeRecord volume, FirmwareType firmware, string kind, string id)
        => volume.IsReady
            ? new ImageSource(_context.Paths.Volume(volume.Id), volume.Id, firmware, volume.SizeGiB, kind, id)
            : throw LocalCloudErrors.Conflict($"Volume '{volume.Id}' is {volume.Status}: images can be made only of available or in-use volumes.");

    // Records the image (saving) and the operation in one transaction with the source's checks, then copies.
    private async Task<CloudOperation<CloudImage>> StartAsync(
        string name,
        Func<SqliteConnection, SqliteTransaction, Task<ImageSource>> pickSource,
        CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString();
        var format = _context.ImageFormat;
        var path = _context.Paths.Image(id, format);
        var rawPartial = LocalPaths.Partial(_context.Paths.Image(id, "raw"));
        var qcowPartial = LocalPaths.Partial(_context.Paths.Image(id, "qcow2"));
        var (operation, input) = await _context.Store.WriteAsync(
            async (c, t) =>
            {
                var source = await pickSource(c, t).ConfigureAwait(false);

                await Sql.ExecuteAsync(
                    c,
                    t,
                    "INSERT INTO images (id, name, status, firmware, min_disk_gib, format, source_kind, source_id, created_at) VALUES ($id, $name, 'saving', $firmware, $minDisk, $format, $kind, $source, $now);",
                    cancellationToken,
                    ("$id", id),
                    ("$name", name),
                    ("$firmware", (int)source.Firmware),
                    ("$minDisk", source.MinDiskGiB),
                    ("$format", format),
                    ("$kind", source.Kind),
                    ("$source", source.Id),
                    ("$now", LocalCloudStore.FormatTime(_context.Now))).ConfigureAwait(false);
                var row = new OperationRow
                {
                    Id = OperationStore.NewId(),
                    Kind = OperationKinds.CreateImage,
                    Status = OperationKinds.Running,
                    ValueKind = OperationKinds.ImageValue,
                    ResourceId = id,
                    SourceId = source.VolumeId,
                    Entities = new Dictionary<string, string> { ["image_id"] = id },
                    Scratch = [_context.Relative(rawPartial), _context.Relative(qcowPartial)],
                    Owner = _context.InstanceId,
                };
                await OperationStore.InsertAsync(c, t, row, _context.Now, cancellationToken).ConfigureAwait(false);
                return (row, source.File);
            },
            cancellationToken).ConfigureAwait(false);

        await _executor.RunAsync(
            operation,
            inline: _context.Reflinks && format == "raw",
            async ct =>
            {
                await _context.CopyAsync(input, rawPartial, null, ct).ConfigureAwait(false);
                if (format == "qcow2")
                {
                    await QemuImg.ConvertAsync(_context.QemuImgPath!, "raw", "qcow2", rawPartial, qcowPartial, ct).ConfigureAwait(false);
                    File.Delete(rawPartial);
                }
            },
            async (c, t, ct) =>
            {
                File.Move(format == "qcow2" ? qcowPartial : rawPartial, path);
                await Sql.ExecuteAsync(c, t, "UPDATE images SET status = 'active' WHERE id = $id;", ct, ("$id", id)).ConfigureAwait(false);
                return LocalOperationSource.Serialize((await ImageRecord.RequireAsync(c, t, id, ct).ConfigureAwait(false)).ToModel());
            }).ConfigureAwait(false);
        return await _operations.GetAsync<CloudImage>(operation.Id, cancellationToken).ConfigureAwait(false);
    }

    private sealed record ImageSource(string File, string? VolumeId, FirmwareType Firmware, int MinDiskGiB, string Kind, string Id);
}
