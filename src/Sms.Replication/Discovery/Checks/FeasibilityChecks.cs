using System.Globalization;

namespace Sms.Discovery.Checks;

/// <summary>
/// The checks a migration runs before it starts, each finding with the seeds' code and words where they have them
/// and a fix. Errors stop a migration; warnings are shown.
/// </summary>
public static class FeasibilityChecks
{
    /// <summary>The most data disks a target takes besides the migration's own (the seeds: ECS allows 24, SMS uses 1).</summary>
    public const int MaxDisks = 23;

    /// <summary>The least free space a mount point needs (SMS.1351).</summary>
    public const long MinFreeBytes = 1024 * 1024;

    private static readonly HashSet<string> SupportedFileSystems = new(StringComparer.Ordinal)
    {
        "ext2", "ext3", "ext4", "xfs", "vfat", "btrfs", "ntfs", "ntfs3", "fuseblk",
    };

    /// <summary>Checks a source host: architecture, mounts, LVM, <c>/tmp</c>.</summary>
    /// <param name="host">The host inventory.</param>
    /// <param name="tmpExists">Whether <c>/tmp</c> exists (on the host being checked).</param>
    /// <returns>The findings; empty when all is well.</returns>
    public static IReadOnlyList<CheckFinding> CheckHost(HostInventory host, bool tmpExists)
    {
        ArgumentNullException.ThrowIfNull(host);
        var findings = new List<CheckFinding>();
        if (host.Architecture is not ("x86_64" or "amd64" or "i686" or "i386"))
        {
            findings.Add(new(SmsErrorCode.UnsupportedArchitecture, CheckSeverity.Error, "Only servers with X86 architecture can be migrated.", $"The source is {host.Architecture}; migrate it with an image-based method instead."));
        }

        foreach (var mount in host.Mounts)
        {
            if (mount.IsPseudo)
            {
                continue;
            }

            if (mount.TotalBytes > 0 && mount.FreeBytes < MinFreeBytes && !mount.Options.Split(',').Contains("ro"))
            {
                findings.Add(new(SmsErrorCode.MountPointFull, CheckSeverity.Error, $"Mount point {mount.MountPoint} detected on the source server, which has no free space. Ensure that there is at least 1 MB of space.", $"Free at least 1 MB on {mount.MountPoint} (see df -TH); keep 1 GB free per partition to be safe."));
            }

            if (mount.IsBindOrRepeated)
            {
                findings.Add(new(SmsErrorCode.BindOrRepeatedMount, CheckSeverity.Warning, $"Bind mount or repeated mount detected on {mount.MountPoint} of the source server.", $"Exclude {mount.MountPoint} from file-level replication, or the same data is copied twice; recreate the mount in the target's /etc/fstab."));
            }

            if (!SupportedFileSystems.Contains(mount.FileSystemType))
            {
                findings.Add(new(SmsErrorCode.IncompatibleFileSystem, CheckSeverity.Warning, $"Incompatible file system of the source server: {mount.MountPoint} is {mount.FileSystemType}.", "Block-level replication copies it whole (no valid-block map); file-level replication may not keep its attributes. Move the data to ext4, xfs or another supported file system if that matters."));
            }
        }

        foreach (var group in host.VolumeGroups)
        {
            if (group.PhysicalVolumes.Any(static pv => pv.Contains("unknown", StringComparison.OrdinalIgnoreCase)))
            {
                findings.Add(new(SmsErrorCode.UnknownPhysicalVolumes, CheckSeverity.Error, "Unknown physical volumes detected on the source server.", $"Volume group {group.Name} misses a physical volume: reattach it (pvs must show no [unknown])."));
            }
        }

        if (!tmpExists)
        {
            findings.Add(new(SmsErrorCode.TmpMissing, CheckSeverity.Error, "Agent startup failed. Folder /tmp is missing.", "mkdir /tmp && chmod 1777 /tmp"));
        }
        else if (MountCovering(host.Mounts, "/tmp") is { } tmp && tmp.Options.Split(',').Contains("noexec"))
        {
            findings.Add(new(SmsErrorCode.TmpNoExec, CheckSeverity.Error, "Agent startup failed because the noexec permission is not allowed on /tmp for SMS Agent. Please remount /tmp without noexec.", "mount -o remount,exec /tmp"));
        }

        return findings;
    }

    /// <summary>Checks the disks to migrate: how many, and which file systems are not understood.</summary>
    /// <param name="disks">The disk inventories.</param>
    /// <returns>The findings.</returns>
    public static IReadOnlyList<CheckFinding> CheckDisks(IReadOnlyList<DiskInventory> disks)
    {
        ArgumentNullException.ThrowIfNull(disks);
        var findings = new List<CheckFinding>();
        if (disks.Count > MaxDisks)
        {
            findings.Add(new(SmsErrorCode.TooManyDisks, CheckSeverity.Error, $"The source has {disks.Count} disks; a target takes at most {MaxDisks}.", "Migrate the remaining disks in a second task, or merge them."));
        }

        foreach (var disk in disks)
        {
            foreach (var partition in disk.PartitionTable.Partitions)
            {
                if (!partition.IsExtendedContainer && partition.FileSystem is { Kind: FileSystemKind.Unknown })
                {
                    findings.Add(new(SmsErrorCode.IncompatibleFileSystem, CheckSeverity.Warning, $"Partition {partition.Number} of {disk.Path} holds no file system the SDK understands.", "It is replicated whole, including free space; that is correct but slower."));
                }
            }
        }

        return findings;
    }

    /// <summary>Checks a chosen target against the source: firmware, disk count and sizes.</summary>
    /// <param name="sourceFirmware">How the source boots.</param>
    /// <param name="sourceDiskSizes">The source disks' sizes, system disk first.</param>
    /// <param name="target">The target.</param>
    /// <returns>The findings.</returns>
    public static IReadOnlyList<CheckFinding> CheckTarget(FirmwareType sourceFirmware, IReadOnlyList<long> sourceDiskSizes, TargetServerDescription target)
    {
        ArgumentNullException.ThrowIfNull(sourceDiskSizes);
        ArgumentNullException.ThrowIfNull(target);
        var findings = new List<CheckFinding>();
        if (sourceFirmware != target.Firmware)
        {
            findings.Add(new(SmsErrorCode.FirmwareMismatch, CheckSeverity.Error, $"Inconsistent firmware type. Source: {Name(sourceFirmware)}, Target: {Name(target.Firmware)}", $"Create the target from an image whose boot mode is {Name(sourceFirmware)}."));
        }

        if (target.DiskSizes.Count < sourceDiskSizes.Count)
        {
            findings.Add(new(SmsErrorCode.TargetDiskTooSmall, CheckSeverity.Error, $"Insufficient disks on the Target ECS: the source has {sourceDiskSizes.Count}, the target {target.DiskSizes.Count}.", "Attach more disks to the target, or let the migration create the target."));
        }

        for (var i = 0; i < Math.Min(sourceDiskSizes.Count, target.DiskSizes.Count); i++)
        {
            if (target.DiskSizes[i] < sourceDiskSizes[i])
            {
                findings.Add(new(SmsErrorCode.TargetDiskTooSmall, CheckSeverity.Error, string.Create(CultureInfo.InvariantCulture, $"Target disk {i} is {target.DiskSizes[i]} bytes, smaller than source disk {i} ({sourceDiskSizes[i]} bytes)."), $"Expand target disk {i} to at least {sourceDiskSizes[i]} bytes, or reorder the target's data disks."));
            }
        }

        return findings;
    }

    private static string Name(FirmwareType firmware) => firmware == FirmwareType.Uefi ? "UEFI" : "BIOS";

    private static MountDescription? MountCovering(IReadOnlyList<MountDescription> mounts, string path)
    {
        MountDescription? best = null;
        foreach (var mount in mounts)
        {
            var mp = mount.MountPoint;
            var covers = mp == "/" || path == mp || path.StartsWith(mp.TrimEnd('/') + "/", StringComparison.Ordinal);
            if (covers && (best is null || mp.Length >= best.MountPoint.Length))
            {
                best = mount;
            }
        }

        return best;
    }
}
