using System.Globalization;
using System.Text.RegularExpressions;
using Sms.Discovery;

namespace Sms.Fixups.Rewriters;

/// <summary>How a name in fstab or on a kernel command line relates to the target's volumes.</summary>
internal enum DeviceLookupKind
{
    /// <summary>Not a disk device name (UUID=, LABEL=, /dev/mapper/…, tmpfs, a network share): left as it is, silently.</summary>
    NotADevice,

    /// <summary>A disk or partition device that maps to a target volume with a UUID.</summary>
    Mapped,

    /// <summary>A disk or partition device that cannot be mapped: left as it is, and reported.</summary>
    Unmapped,
}

/// <summary>The answer of <see cref="DeviceMap.Look"/>.</summary>
/// <param name="Kind">Mapped, unmapped or not a device.</param>
/// <param name="Volume">The volume, when mapped.</param>
/// <param name="Reason">Why it is not mapped, when unmapped.</param>
internal readonly record struct DeviceLookup(DeviceLookupKind Kind, TargetVolume? Volume, string? Reason);

/// <summary>
/// Maps the source's device names to the target's volumes. The target's disks are in the source's disk order, so
/// <c>/dev/sdb2</c> (also vdb2, xvdb2, hdb2), <c>/dev/nvme1n1p2</c> and <c>/dev/mmcblk1p2</c> are partition 2 of disk
/// 1. Other names of a disk (<c>/dev/disk/by-path/…</c>, <c>/dev/disk/by-id/…</c>) map through aliases, with
/// partitions as <c>-partN</c>, <c>N</c> or <c>pN</c> after the disk's name.
/// </summary>
internal sealed partial class DeviceMap
{
    private readonly IReadOnlyList<TargetVolume> _volumes;
    private readonly List<KeyValuePair<string, int>> _aliases;
    private readonly int _disks;

    /// <summary>Creates a map.</summary>
    /// <param name="volumes">The target's volumes.</param>
    /// <param name="aliases">Other names of the source's disks, each to its disk index.</param>
    public DeviceMap(IReadOnlyList<TargetVolume> volumes, IReadOnlyDictionary<string, int> aliases)
    {
        _volumes = volumes;
        _aliases = [.. aliases.OrderByDescending(static a => a.Key.Length)];
        _disks = volumes.Count == 0 ? 0 : volumes.Max(static v => v.DiskIndex) + 1;
    }

    /// <summary>Looks a name up.</summary>
    /// <param name="spec">The name, for example <c>/dev/sda1</c>.</param>
    /// <returns>What it is.</returns>
    public DeviceLookup Look(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        foreach (var (alias, disk) in _aliases)
        {
            if (spec == alias)
            {
                return Find(spec, disk, 0);
            }

            if (spec.StartsWith(alias, StringComparison.Ordinal) && AliasPartition().Match(spec[alias.Length..]) is { Success: true } suffix)
            {
                return Find(spec, disk, Number(suffix.Groups["part"].Value));
            }
        }

        if (!spec.StartsWith("/dev/", StringComparison.Ordinal))
        {
            return new DeviceLookup(DeviceLookupKind.NotADevice, null, null);
        }

        if (KernelDisk().Match(spec) is { Success: true } kernel)
        {
            var index = 0;
            foreach (var letter in kernel.Groups["letters"].Value)
            {
                index = (index * 26) + (letter - 'a' + 1);
            }

            return Find(spec, index - 1, Number(kernel.Groups["part"].Value));
        }

        if (NvmeDisk().Match(spec) is { Success: true } nvme)
        {
            return nvme.Groups["ns"].Value != "1"
                ? new DeviceLookup(DeviceLookupKind.Unmapped, null, $"{spec} is NVMe namespace {nvme.Groups["ns"].Value}; only namespace 1 of each controller maps to a disk (give an alias)")
                : Find(spec, Number(nvme.Groups["controller"].Value), Number(nvme.Groups["part"].Value));
        }

        if (MmcDisk().Match(spec) is { Success: true } mmc)
        {
            return Find(spec, Number(mmc.Groups["disk"].Value), Number(mmc.Groups["part"].Value));
        }

        if (spec.StartsWith("/dev/disk/by-path/", StringComparison.Ordinal) || spec.StartsWith("/dev/disk/by-id/", StringComparison.Ordinal))
        {
            return new DeviceLookup(DeviceLookupKind.Unmapped, null, $"{spec} names a disk by its hardware path or serial, which changes on the target, and no alias says which source disk it was");
        }

        return new DeviceLookup(DeviceLookupKind.NotADevice, null, null);
    }

    private static int Number(string digits) => digits.Length == 0 ? 0 : int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^/dev/(?:s|h|v|xv)d(?<letters>[a-z]{1,3})(?<part>[1-9][0-9]{0,3})?$", RegexOptions.CultureInvariant)]
    private static partial Regex KernelDisk();

    [GeneratedRegex(@"^/dev/nvme(?<controller>[0-9]{1,4})n(?<ns>[0-9]{1,4})(?:p(?<part>[1-9][0-9]{0,3}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex NvmeDisk();

    [GeneratedRegex(@"^/dev/mmcblk(?<disk>[0-9]{1,4})(?:p(?<part>[1-9][0-9]{0,3}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex MmcDisk();

    [GeneratedRegex(@"^(?:-part|p)?(?<part>[1-9][0-9]{0,3})$", RegexOptions.CultureInvariant)]
    private static partial Regex AliasPartition();

    private DeviceLookup Find(string spec, int disk, int partition)
    {
        if (disk >= _disks)
        {
            return new DeviceLookup(DeviceLookupKind.Unmapped, null, string.Create(CultureInfo.InvariantCulture, $"{spec} is on source disk {disk}, and the target has {_disks} disk(s)"));
        }

        var volume = _volumes.FirstOrDefault(v => v.DiskIndex == disk && v.PartitionNumber == partition);
        if (volume is null)
        {
            var why = partition == 0
                ? $"{spec} names all of disk {disk}, which has a partition table"
                : $"disk {disk} of the target has no partition {partition}";
            return new DeviceLookup(DeviceLookupKind.Unmapped, null, string.Create(CultureInfo.InvariantCulture, $"{why}"));
        }

        if (volume.Kind == FileSystemKind.LvmPhysicalVolume)
        {
            return new DeviceLookup(DeviceLookupKind.Unmapped, null, $"{spec} ({volume}) is an LVM physical volume, not a file system");
        }

        return volume.Uuid is null
            ? new DeviceLookup(DeviceLookupKind.Unmapped, null, $"{spec} ({volume}) holds {(volume.Kind == FileSystemKind.Unknown ? "no known file system" : volume.Kind.ToString().ToLowerInvariant() + " without a UUID")}")
            : new DeviceLookup(DeviceLookupKind.Mapped, volume, null);
    }
}
