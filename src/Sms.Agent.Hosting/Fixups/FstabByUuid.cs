using Sms.Fixups.Rewriters;

namespace Sms.Fixups;

/// <summary>
/// Makes the target find its file systems by UUID: entries of <c>/etc/fstab</c> that name disk devices
/// (<c>/dev/sda1</c>, <c>/dev/vdb2</c>, <c>/dev/xvda1</c>, <c>/dev/nvme0n1p1</c>, by-path and by-id names given as
/// aliases) name the UUID of the file system that device held instead, since device names change with the target's
/// virtual hardware. The same is done for <c>root=</c> and <c>resume=</c> on the kernel command lines of GRUB
/// (<c>grub.cfg</c>, <c>menu.lst</c>, <c>/etc/default/grub</c>, boot loader entries), on the root or on a separate
/// ext2/3/4 <c>/boot</c>. Everything else is kept byte for byte; a device that cannot be mapped is left and reported.
/// </summary>
public sealed class FstabByUuid : ITargetFixup
{
    /// <summary>The step's name.</summary>
    public const string StepName = "fstab-by-uuid";

    private const string Fstab = "/etc/fstab";

    private static readonly string[] BootFiles = ["/grub/grub.cfg", "/grub2/grub.cfg", "/grub/menu.lst", "/grub/grub.conf"];

    /// <inheritdoc />
    public string Name => StepName;

    /// <inheritdoc />
    public async Task<FixupResult> ApplyAsync(FixupContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var map = new DeviceMap(context.Volumes, context.SourceDiskAliases);
        var fstab = await RewriteFstabAsync(context, map, cancellationToken).ConfigureAwait(false);
        await RewriteKernelLinesAsync(context, context.Root, string.Empty, "/etc/default/grub", map, cancellationToken).ConfigureAwait(false);
        if (await FindBootAsync(context, fstab, map, cancellationToken).ConfigureAwait(false) is var (boot, mountPoint, directory))
        {
            foreach (var file in BootFiles)
            {
                await RewriteKernelLinesAsync(context, boot, mountPoint, directory + file, map, cancellationToken).ConfigureAwait(false);
            }

            var entries = directory + "/loader/entries";
            if (await boot.IsDirectoryAsync(entries, cancellationToken).ConfigureAwait(false))
            {
                foreach (var entry in await boot.ListDirectoryAsync(entries, cancellationToken).ConfigureAwait(false))
                {
                    if (entry.Kind == TargetEntryKind.File && entry.Name.EndsWith(".conf", StringComparison.Ordinal))
                    {
                        await RewriteKernelLinesAsync(context, boot, mountPoint, TargetPath.Combine(entries, entry.Name), map, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }

        return context.ToResult(Name);
    }

    private static async Task<string?> RewriteFstabAsync(FixupContext context, DeviceMap map, CancellationToken cancellationToken)
    {
        var entry = await context.Root.GetEntryAsync(Fstab, cancellationToken).ConfigureAwait(false);
        if (entry is null)
        {
            context.RecordSkip(Fstab, "the target has no /etc/fstab");
            return null;
        }

        var original = await context.Root.ReadFileAsync(Fstab, cancellationToken).ConfigureAwait(false);
        var text = System.Text.Encoding.Latin1.GetString(original);
        var rewrite = FstabRewriter.Rewrite(text, map);
        foreach (var unmapped in rewrite.Unmapped)
        {
            context.RecordSkip(Fstab, $"line {unmapped.Line}: {unmapped.Device} left as it is: {unmapped.Reason}");
        }

        if (rewrite.Mapped.Count == 0)
        {
            return text;
        }

        await FixupBackups.BackUpAsync(context.Root, Fstab, original, entry, context, string.Empty, cancellationToken).ConfigureAwait(false);
        await context.Root.WriteTextAsync(Fstab, rewrite.Text, null, cancellationToken).ConfigureAwait(false);
        foreach (var m in rewrite.Mapped)
        {
            var use = m.Volume.Kind == Discovery.FileSystemKind.Swap ? "swap" : $"{m.Volume.Kind.ToString().ToLowerInvariant()} mounted at {m.MountPoint}";
            context.RecordChange(Fstab, FixupAction.Modified, $"line {m.Line}: {m.Device} → UUID={m.Volume.Uuid} ({m.Volume}, {use})");
        }

        return rewrite.Text;
    }

    private static async Task RewriteKernelLinesAsync(FixupContext context, ITargetFileSystem fileSystem, string mountPoint, string path, DeviceMap map, CancellationToken cancellationToken)
    {
        if (await fileSystem.GetEntryAsync(path, cancellationToken).ConfigureAwait(false) is not { Kind: TargetEntryKind.File } entry)
        {
            return;
        }

        var shown = mountPoint + path;
        var original = await fileSystem.ReadFileAsync(path, cancellationToken).ConfigureAwait(false);
        var rewrite = KernelCommandLineRewriter.Rewrite(System.Text.Encoding.Latin1.GetString(original), map);
        foreach (var unmapped in rewrite.Unmapped)
        {
            context.RecordSkip(shown, $"line {unmapped.Line}: {unmapped.Device} left as it is: {unmapped.Reason}");
        }

        if (rewrite.Mapped.Count == 0)
        {
            return;
        }

        await FixupBackups.BackUpAsync(fileSystem, path, original, entry, context, mountPoint, cancellationToken).ConfigureAwait(false);
        await fileSystem.WriteTextAsync(path, rewrite.Text, null, cancellationToken).ConfigureAwait(false);
        foreach (var m in rewrite.Mapped)
        {
            context.RecordChange(shown, FixupAction.Modified, $"line {m.Line}: {m.Parameter}={m.Device} → {m.Parameter}=UUID={m.Volume.Uuid} ({m.Volume})");
        }
    }

    /// <summary>Where /boot's files are: on the root, or on a separate volume found from fstab.</summary>
    /// <returns>The file system, where it is mounted ("" for the root), and the directory of the boot files in it; or <see langword="null"/>.</returns>
    private static async Task<(ITargetFileSystem FileSystem, string MountPoint, string Directory)?> FindBootAsync(
        FixupContext context, string? fstab, DeviceMap map, CancellationToken cancellationToken)
    {
        var entries = fstab is null ? [] : FstabRewriter.Entries(fstab).ToList();
        var efi = entries.FirstOrDefault(static e => e.MountPoint == "/boot/efi");
        if (efi.Spec is not null)
        {
            context.RecordSkip("/boot/efi", "the EFI system partition (vfat) is not adapted: a grub.cfg there that names /dev devices must be changed by hand");
        }

        var boot = entries.FirstOrDefault(static e => e.MountPoint == "/boot");
        if (boot.Spec is null)
        {
            return (context.Root, string.Empty, "/boot");
        }

        var volume = FindVolume(context, boot.Spec, map);
        if (volume is null)
        {
            context.RecordSkip("/boot", $"/boot is mounted from {boot.Spec}, which is none of the target's volumes: its boot loader files are not adapted");
            return null;
        }

        var fileSystem = await context.OpenVolumeAsync(volume, cancellationToken).ConfigureAwait(false);
        if (fileSystem is null)
        {
            context.RecordSkip("/boot", $"/boot is {volume.Kind.ToString().ToLowerInvariant()} on {volume}, which the SDK does not change without mounting: its boot loader files are not adapted");
            return null;
        }

        return (fileSystem, "/boot", string.Empty);
    }

    private static TargetVolume? FindVolume(FixupContext context, string spec, DeviceMap map)
    {
        if (spec.StartsWith("UUID=", StringComparison.Ordinal))
        {
            var uuid = spec[5..].Trim('"');
            return context.Volumes.FirstOrDefault(v => string.Equals(v.Uuid, uuid, StringComparison.OrdinalIgnoreCase));
        }

        if (spec.StartsWith("LABEL=", StringComparison.Ordinal))
        {
            var label = spec[6..].Trim('"');
            return context.Volumes.FirstOrDefault(v => v.Label == label);
        }

        return map.Look(spec) is { Kind: DeviceLookupKind.Mapped, Volume: var volume } ? volume : null;
    }
}
