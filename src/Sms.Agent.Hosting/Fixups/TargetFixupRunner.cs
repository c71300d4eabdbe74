using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sms.Blocks;
using Sms.Discovery;
using Sms.Fixups.Rewriters;

namespace Sms.Fixups;

/// <summary>
/// Adapts a migrated Linux target before its first boot: finds the partitions and file systems on the target's
/// volume images (<see cref="DiskInspector"/>), finds the root file system (an ext2/3/4 with <c>/etc/fstab</c>), and
/// runs the registered <see cref="ITargetFixup"/> steps on it in order. A target whose root is not ext2/3/4 is
/// reported as not adapted, with the reason; a mounted root of any kind can be adapted through
/// <see cref="RunAsync(ITargetFileSystem, TargetFixupRequest, CancellationToken)"/>.
/// </summary>
public sealed class TargetFixupRunner
{
    private const string Fstab = "/etc/fstab";

    private readonly IReadOnlyList<ITargetFixup> _fixups;
    private readonly TargetFixupOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a runner.</summary>
    /// <param name="fixups">The steps, in the order they run.</param>
    /// <param name="options">The settings; the defaults when <see langword="null"/>.</param>
    /// <param name="logger">Where to log; nowhere when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The options are not valid.</exception>
    public TargetFixupRunner(IEnumerable<ITargetFixup> fixups, TargetFixupOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(fixups);
        _fixups = [.. fixups];
        _options = options ?? new TargetFixupOptions();
        _options.Validate();
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The steps, in the order they run (disabled ones included).</summary>
    /// <value>The steps.</value>
    public IReadOnlyList<ITargetFixup> Fixups => _fixups;

    /// <summary>Finds the volumes of the target's disks: each partition (or a whole unpartitioned disk) with its file system's kind, UUID and label.</summary>
    /// <param name="volumeImages">The target's volume images, in the source's disk order.</param>
    /// <param name="cancellationToken">Cancels the inspection.</param>
    /// <returns>The volumes, in disk and partition order.</returns>
    /// <exception cref="SmsException">An image does not exist (<see cref="SmsErrorCode.ResourceNotFound"/>) or cannot be read.</exception>
    public static async Task<IReadOnlyList<TargetVolume>> InspectAsync(IReadOnlyList<string> volumeImages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volumeImages);
        var inspector = new DiskInspector();
        var volumes = new List<TargetVolume>();
        for (var index = 0; index < volumeImages.Count; index++)
        {
            var image = volumeImages[index];
            if (!File.Exists(image))
            {
                throw new SmsException(SmsErrorCode.ResourceNotFound, $"The target volume image '{image}' (disk {index}) does not exist.");
            }

            var disk = FileBlockSource.Open(image);
            DiskInventory inventory;
            await using (disk.ConfigureAwait(false))
            {
                (inventory, _) = await inspector.InspectAsync(disk, cancellationToken).ConfigureAwait(false);
            }

            if (inventory.PartitionTable.Kind == PartitionTableKind.None)
            {
                volumes.Add(Volume(index, 0, image, 0, inventory.SizeBytes, inventory.FileSystem));
                continue;
            }

            foreach (var partition in inventory.PartitionTable.Partitions)
            {
                if (!partition.IsExtendedContainer)
                {
                    volumes.Add(Volume(index, partition.Number, image, partition.Start, partition.Length, partition.FileSystem));
                }
            }
        }

        return volumes;
    }

    /// <summary>Adapts the target whose volume images are given: finds its root file system and runs the steps on it.</summary>
    /// <param name="request">The images and what is known of the source.</param>
    /// <param name="cancellationToken">Cancels the run (a change in progress completes or is rolled back).</param>
    /// <returns>What was done, or why the target was not adapted.</returns>
    /// <exception cref="SmsException">An image is missing, or debugfs is not installed (<see cref="SmsErrorCode.ToolNotFound"/>).</exception>
    public async Task<TargetFixupReport> RunAsync(TargetFixupRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.VolumeImages.Count == 0)
        {
            throw new ArgumentException("At least one volume image is needed.", nameof(request));
        }

        var volumes = await InspectAsync(request.VolumeImages, cancellationToken).ConfigureAwait(false);
        var opened = new Dictionary<TargetVolume, ITargetFileSystem>();
        var notAdapted = new List<string>();
        var candidates = new List<(TargetVolume Volume, ITargetFileSystem FileSystem, string Fstab)>();
        // Reading a volume replays its journal first, when a live copy left transactions in it (see Ext4ImageFileSystem).
        foreach (var volume in volumes)
        {
            if (!volume.IsExt)
            {
                if (Why(volume) is { } why)
                {
                    notAdapted.Add(why);
                }

                continue;
            }

            var fileSystem = Open(volume, opened);
            try
            {
                if (await fileSystem.GetEntryAsync(Fstab, cancellationToken).ConfigureAwait(false) is { Kind: TargetEntryKind.File or TargetEntryKind.Symlink })
                {
                    candidates.Add((volume, fileSystem, await fileSystem.ReadTextAsync(Fstab, cancellationToken).ConfigureAwait(false)));
                }
                else
                {
                    notAdapted.Add($"{volume}: {Kind(volume)} without /etc/fstab, not a root file system");
                }
            }
            catch (SmsException ex) when (ex.ErrorCode != SmsErrorCode.ToolNotFound)
            {
                notAdapted.Add($"{volume}: {Kind(volume)} that cannot be read ({ex.Message})");
            }
        }

        if (candidates.Count == 0)
        {
            var reason = "no ext2/3/4 file system with /etc/fstab on the target's disks"
                + (notAdapted.Count > 0 ? "; " + string.Join("; ", notAdapted) : string.Empty);
            FixupLog.NotAdapted(_logger, reason);
            return new TargetFixupReport { Adapted = false, Volumes = volumes, NotAdapted = [reason], Notes = Replays(opened) };
        }

        var map = new DeviceMap(volumes, request.SourceDiskAliases);
        var root = candidates.FirstOrDefault(c => MountsItselfAtRoot(c.Volume, c.Fstab, map));
        if (root.Volume is null)
        {
            root = candidates[0];
        }

        var others = candidates.Where(c => c.Volume != root.Volume).Select(c => $"{c.Volume}: another file system with /etc/fstab; only {root.Volume} was adapted");
        return await RunStepsAsync(root.FileSystem, root.Volume, volumes, request, opened, [.. others], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adapts a target root given as a file system (a <see cref="DirectoryTargetFileSystem"/> on a mounted root, say);
    /// the images of <paramref name="request"/>, when given, are inspected for the device-to-UUID mapping.
    /// </summary>
    /// <param name="root">The target's root file system.</param>
    /// <param name="request">The images (may be empty) and what is known of the source.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>What was done.</returns>
    public async Task<TargetFixupReport> RunAsync(ITargetFileSystem root, TargetFixupRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(request);
        var volumes = await InspectAsync(request.VolumeImages, cancellationToken).ConfigureAwait(false);
        return await RunStepsAsync(root, null, volumes, request, [], [], cancellationToken).ConfigureAwait(false);
    }

    private static TargetVolume Volume(int disk, int partition, string image, long offset, long length, FileSystemDescription? fileSystem) => new()
    {
        DiskIndex = disk,
        PartitionNumber = partition,
        ImagePath = image,
        Offset = offset,
        Length = length,
        Kind = fileSystem?.Kind ?? FileSystemKind.Unknown,
        Uuid = fileSystem?.Uuid,
        Label = fileSystem?.Label,
    };

    private static List<string> Replays(Dictionary<TargetVolume, ITargetFileSystem> opened) =>
    [
        .. opened.Where(static o => o.Value is Ext4ImageFileSystem { ReplayedTransactions: > 0 })
            .Select(static o => $"{o.Key}: replayed {((Ext4ImageFileSystem)o.Value).ReplayedTransactions} journal transaction(s) not yet written back, as the kernel would at mount"),
    ];

    private static string Kind(TargetVolume volume) => volume.Kind == FileSystemKind.LvmPhysicalVolume ? "an LVM physical volume" : volume.Kind.ToString().ToLowerInvariant();

    /// <summary>Why a volume that is not ext2/3/4 is not adapted, or <see langword="null"/> when there is nothing to say (swap).</summary>
    private static string? Why(TargetVolume volume) => volume.Kind switch
    {
        FileSystemKind.Swap => null,
        FileSystemKind.Xfs or FileSystemKind.Btrfs => $"{volume}: {Kind(volume)}, which the SDK does not change without mounting (if it is the root, mount it and run the fix-ups on a DirectoryTargetFileSystem)",
        FileSystemKind.Ntfs => $"{volume}: ntfs (Windows): the Linux fix-ups do not apply",
        FileSystemKind.Vfat => null,
        FileSystemKind.LvmPhysicalVolume => $"{volume}: an LVM physical volume; a root on LVM is not adapted (logical volumes are not opened)",
        _ => $"{volume}: no known file system",
    };

    private static bool MountsItselfAtRoot(TargetVolume volume, string fstab, DeviceMap map)
    {
        foreach (var (spec, mountPoint) in FstabRewriter.Entries(fstab))
        {
            if (mountPoint != "/")
            {
                continue;
            }

            return (spec.StartsWith("UUID=", StringComparison.Ordinal) && string.Equals(spec[5..].Trim('"'), volume.Uuid, StringComparison.OrdinalIgnoreCase))
                || (spec.StartsWith("LABEL=", StringComparison.Ordinal) && spec[6..].Trim('"') == volume.Label)
                || map.Look(spec).Volume == volume;
        }

        return false;
    }

    private ITargetFileSystem Open(TargetVolume volume, Dictionary<TargetVolume, ITargetFileSystem> opened)
    {
        if (!opened.TryGetValue(volume, out var fileSystem))
        {
            fileSystem = new Ext4ImageFileSystem(volume.ImagePath, volume.Offset, new Ext4ImageFileSystemOptions { DebugfsPath = _options.DebugfsPath, Timeout = _options.ToolTimeout });
            opened[volume] = fileSystem;
        }

        return fileSystem;
    }

    private async Task<TargetFixupReport> RunStepsAsync(
        ITargetFileSystem root,
        TargetVolume? rootVolume,
        IReadOnlyList<TargetVolume> volumes,
        TargetFixupRequest request,
        Dictionary<TargetVolume, ITargetFileSystem> opened,
        List<string> notAdapted,
        CancellationToken cancellationToken)
    {
        var rootName = rootVolume?.ToString() ?? root.Description;
        FixupLog.FixupsStarting(_logger, rootName, _fixups.Count);
        var results = new List<FixupResult>();
        foreach (var fixup in _fixups)
        {
            if (_options.DisabledSteps.Contains(fixup.Name))
            {
                FixupLog.StepDisabled(_logger, fixup.Name);
                results.Add(new FixupResult { Step = fixup.Name, Skipped = [new FixupSkip { Path = fixup.Name, Reason = "disabled by the options" }] });
                continue;
            }

            var context = new FixupContext
            {
                Root = root,
                RootVolume = rootVolume,
                Volumes = volumes,
                SourceDiskAliases = request.SourceDiskAliases,
                TargetCloud = request.TargetCloud,
                Logger = _logger,
                VolumeOpener = (volume, _) => Task.FromResult(volume.IsExt ? Open(volume, opened) : null),
            };
            FixupResult result;
            try
            {
                result = await fixup.ApplyAsync(context, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                var reason = ex is SmsException sms ? sms.ToString() : $"{ex.GetType().Name}: {ex.Message}";
                result = context.ToResult(fixup.Name, reason);
                FixupLog.StepFailed(_logger, fixup.Name, result.Changes.Count, reason);
            }

            foreach (var change in result.Changes)
            {
                FixupLog.Change(_logger, fixup.Name, change.Action, change.Path, change.Detail);
            }

            if (result.Error is null)
            {
                FixupLog.StepFinished(_logger, fixup.Name, result.Changes.Count, result.Skipped.Count);
            }

            results.Add(result);
        }

        return new TargetFixupReport
        {
            Adapted = results.All(static r => r.Error is null),
            Root = rootVolume,
            Volumes = volumes,
            Steps = results,
            NotAdapted = notAdapted,
            Notes = Replays(opened),
        };
    }
}
