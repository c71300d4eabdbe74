using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sms.Cloud.Local.Compute;
using Sms.Cloud.Local.Diagnostics;
using Sms.Cloud.Local.Files;
using Sms.Cloud.Local.Images;
using Sms.Cloud.Local.Networks;
using Sms.Cloud.Local.Operations;
using Sms.Cloud.Local.Store;
using Sms.Cloud.Local.Volumes;
using Sms.Discovery;

namespace Sms.Cloud.Local;

/// <summary>
/// A cloud that needs nothing but a directory: servers, networks, images, operations and quotas are records in a
/// SQLite store (<c>cloud.db</c>); volumes are sparse raw files (<c>volumes/ID.img</c>, the files a block receiver
/// writes into: <see cref="CloudVolume.LocalPath"/>); snapshots and images are reflinks of them where the file system
/// supports it, sparse copies otherwise. Any number of provider instances — threads, processes — may open the same
/// directory: every change is one serialized transaction, so quotas hold and nothing is lost, and an operation started
/// by one instance can be resumed by id from another, or after a restart.
/// </summary>
public sealed class LocalCloudProvider : ICloudProvider, IAsyncDisposable
{
    private readonly LocalCloudContext _context;
    private readonly InstanceLock _instanceLock;
    private readonly LocalOperationSource _operations;
    private readonly LocalImageService _images;
    private int _disposed;

    private LocalCloudProvider(LocalCloudContext context, InstanceLock instanceLock, LocalOperationSource operations, OperationExecutor executor)
    {
        _context = context;
        _instanceLock = instanceLock;
        _operations = operations;
        Compute = new LocalComputeService(context, executor, operations);
        Volumes = new LocalVolumeService(context, executor, operations);
        Networks = new LocalNetworkService(context);
        _images = new LocalImageService(context, executor, operations);
    }

    /// <summary>The image id that creates a server with an empty system disk (a target for a migration).</summary>
    public const string NoImage = LocalComputeService.NoImage;

    /// <inheritdoc/>
    /// <value><c>local</c>.</value>
    public string Name => "local";

    /// <summary>The cloud's directory.</summary>
    /// <value>A full path.</value>
    public string RootDirectory => _context.Paths.Root;

    /// <summary>The directory of the volume files: point a block receiver's volumes directory here, and use a volume's id as its name.</summary>
    /// <value>A full path.</value>
    public string VolumesDirectory => _context.Paths.VolumesDirectory;

    /// <summary>Whether copies (snapshots, images, disks made from them) are reflinks: allowed by the options and supported by the file system.</summary>
    /// <value><see langword="false"/> when they are sparse full copies.</value>
    public bool UsesReflinks => _context.Reflinks;

    /// <summary>The cloud's availability zones, the first being the default for new resources.</summary>
    /// <value>The zone names.</value>
    public IReadOnlyList<string> AvailabilityZones => _context.AvailabilityZones;

    /// <inheritdoc/>
    public IComputeService Compute { get; }

    /// <inheritdoc/>
    public IVolumeService Volumes { get; }

    /// <inheritdoc/>
    public INetworkService Networks { get; }

    /// <inheritdoc/>
    public IImageService Images => _images;

    /// <summary>A test hook run before the work of every long-running operation, with the operation's kind.</summary>
    internal Func<string, CancellationToken, Task>? WorkGate
    {
        get => _context.WorkGate;
        set => _context.WorkGate = value;
    }

    /// <summary>Opens (creating it if needed) the local cloud in a directory.</summary>
    /// <param name="directory">The directory.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="time">The clock for timestamps; <see cref="TimeProvider.System"/> by default.</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <returns>The provider; dispose it to wait for its background operations and release the directory.</returns>
    /// <exception cref="ArgumentException">The directory is empty or an option is out of range.</exception>
    /// <exception cref="SmsException">The store was written by a newer SDK (<see cref="SmsErrorCode.InvalidState"/>).</exception>
    /// <exception cref="IOException">The directory cannot be created or written.</exception>
    /// <exception cref="CloudRequestFailedException">The store cannot be opened (a corrupt or locked <c>cloud.db</c>).</exception>
    public static Task<LocalCloudProvider> OpenAsync(string directory, LocalCloudOptions? options = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
        => OpenAsync(directory, options, time, null, cancellationToken);

    /// <summary>Opens (creating it if needed) the local cloud in a directory, with logging.</summary>
    /// <param name="directory">The directory.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="time">The clock for timestamps; <see cref="TimeProvider.System"/> by default.</param>
    /// <param name="loggerFactory">The loggers; none by default.</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <returns>The provider; dispose it to wait for its background operations and release the directory.</returns>
    /// <exception cref="ArgumentException">The directory is empty or an option is out of range.</exception>
    /// <exception cref="SmsException">The store was written by a newer SDK (<see cref="SmsErrorCode.InvalidState"/>).</exception>
    /// <exception cref="IOException">The directory cannot be created or written.</exception>
    /// <exception cref="CloudRequestFailedException">The store cannot be opened (a corrupt or locked <c>cloud.db</c>).</exception>
    public static async Task<LocalCloudProvider> OpenAsync(string directory, LocalCloudOptions? options, TimeProvider? time, ILoggerFactory? loggerFactory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= new LocalCloudOptions();
        Validate(options);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<LocalCloudProvider>();
        var paths = new LocalPaths(directory);
        var store = new LocalCloudStore(paths.Database, options.BusyTimeout);
        await LocalCloudSchema.EnsureAsync(store, cancellationToken).ConfigureAwait(false);
        await ApplyQuotasAsync(store, options, cancellationToken).ConfigureAwait(false);

        var qemuImg = options.ImageFormat == LocalImageFormat.Qcow2 ? QemuImg.Find(options.QemuImgPath) : null;
        if (options.ImageFormat == LocalImageFormat.Qcow2 && qemuImg is null)
        {
            LocalCloudLog.QemuImgMissing(logger);
        }

        var instanceLock = InstanceLock.Acquire(paths.InstancesDirectory);
        var context = new LocalCloudContext
        {
            Paths = paths,
            Store = store,
            Time = time ?? TimeProvider.System,
            Logger = logger,
            Cloner = new FileCloner(options.UseReflink && FileCloner.ProbeReflink(paths.VolumesDirectory)),
            Runner = new OperationRunner(),
            InstanceId = instanceLock.InstanceId,
            AvailabilityZones = [.. options.AvailabilityZones],
            ImageFormat = qemuImg is null ? "raw" : "qcow2",
            QemuImgPath = qemuImg,
        };
        var executor = new OperationExecutor(context);
        var provider = new LocalCloudProvider(context, instanceLock, new LocalOperationSource(context, executor), executor);
        try
        {
            await executor.ReapOrphansAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await provider.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var reflinks = context.Reflinks;
        LocalCloudLog.Opened(logger, paths.Root, LocalCloudSchema.CurrentVersion, reflinks, instanceLock.InstanceId);
        return provider;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="operationId"/> is empty.</exception>
    /// <exception cref="CloudRequestFailedException">No such operation (<see cref="SmsErrorCode.ResourceNotFound"/>).</exception>
    /// <remarks>
    /// Works for any operation recorded in the directory, by this instance or another (or one before a restart). An
    /// operation whose instance went away before it finished is reported failed (provider code
    /// <c>operation.interrupted</c>) and what it had started is undone.
    /// </remarks>
    public Task<CloudOperation> ResumeOperationAsync(string operationId, CancellationToken cancellationToken = default)
        => _operations.ResumeAsync(operationId, cancellationToken);

    /// <summary>Starts importing a raw disk image file (a disk image made by a tool, say) as an image servers can be created from.</summary>
    /// <param name="sourcePath">The raw disk image; it is copied (reflinked where supported), not moved.</param>
    /// <param name="name">The image name.</param>
    /// <param name="firmware">How servers made from it boot.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The operation; its value is the image.</returns>
    /// <exception cref="CloudRequestFailedException">The file does not exist or the name is not acceptable.</exception>
    public Task<CloudOperation<CloudImage>> StartImportImageAsync(string sourcePath, string name, FirmwareType firmware = FirmwareType.Bios, CancellationToken cancellationToken = default)
        => _images.StartImportImageAsync(sourcePath, name, firmware, cancellationToken);

    /// <summary>How a snapshot's file was made ("Reflink" or "SparseCopy"), for tests and diagnostics.</summary>
    internal Task<string?> GetSnapshotCopyMethodAsync(string snapshotId, CancellationToken cancellationToken = default)
        => _context.Store.ReadAsync(async (c, t) => (await SnapshotRecord.RequireAsync(c, t, snapshotId, cancellationToken).ConfigureAwait(false)).CopyMethod, cancellationToken);

    /// <summary>Waits for the operations this instance runs in the background, then releases the directory.</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _context.Runner.WhenIdleAsync().ConfigureAwait(false);
        _instanceLock.Dispose();
        _context.Store.ClearPool();
    }

    private static void Validate(LocalCloudOptions options)
    {
        foreach (var (value, name) in new[] { (options.MaxServers, nameof(options.MaxServers)), (options.MaxVolumes, nameof(options.MaxVolumes)), (options.MaxVolumeGiB, nameof(options.MaxVolumeGiB)), (options.MaxSnapshots, nameof(options.MaxSnapshots)) })
        {
            if (value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(options), value, $"{nameof(LocalCloudOptions)}.{name} cannot be negative.");
            }
        }

        if (options.AvailabilityZones is not { Count: > 0 } || options.AvailabilityZones.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException($"{nameof(LocalCloudOptions)}.{nameof(options.AvailabilityZones)} needs at least one non-empty zone.", nameof(options));
        }

        if (options.BusyTimeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BusyTimeout, $"{nameof(LocalCloudOptions)}.{nameof(options.BusyTimeout)} cannot be negative.");
        }
    }

    private static async Task ApplyQuotasAsync(LocalCloudStore store, LocalCloudOptions options, CancellationToken cancellationToken)
        => await store.WriteAsync(
            async (c, t) =>
            {
                foreach (var (name, value) in new[] { (Quotas.Servers, options.MaxServers), (Quotas.Volumes, options.MaxVolumes), (Quotas.VolumeGiB, options.MaxVolumeGiB), (Quotas.Snapshots, options.MaxSnapshots) })
                {
                    if (value is { } limit)
                    {
                        await Quotas.SetAsync(c, t, name, limit, cancellationToken).ConfigureAwait(false);
                    }
                }

                return 0;
            },
            cancellationToken).ConfigureAwait(false);
}
