namespace Sms.Discovery;

/// <summary>What a running (source) host is: OS, hardware, network, disks and mounts.</summary>
public sealed record HostInventory
{
    /// <summary>The host name.</summary>
    /// <value>The name.</value>
    public required string HostName { get; init; }

    /// <summary>The OS name and version (from <c>/etc/os-release</c> PRETTY_NAME).</summary>
    /// <value>For example "Debian GNU/Linux 12 (bookworm)".</value>
    public required string OperatingSystem { get; init; }

    /// <summary>The os-release ID and VERSION_ID, for example "debian" and "12".</summary>
    /// <value>The id.</value>
    public string? OsId { get; init; }

    /// <summary>The os-release VERSION_ID.</summary>
    /// <value>The version.</value>
    public string? OsVersion { get; init; }

    /// <summary>The kernel release.</summary>
    /// <value>For example "6.1.0-18-amd64".</value>
    public required string Kernel { get; init; }

    /// <summary>The CPU architecture as the kernel names it (x86_64, aarch64).</summary>
    /// <value>The architecture.</value>
    public required string Architecture { get; init; }

    /// <summary>How the host booted.</summary>
    /// <value>BIOS or UEFI.</value>
    public required FirmwareType Firmware { get; init; }

    /// <summary>The number of logical CPUs.</summary>
    /// <value>The count.</value>
    public required int CpuCount { get; init; }

    /// <summary>Physical memory in bytes.</summary>
    /// <value>Bytes.</value>
    public required long MemoryBytes { get; init; }

    /// <summary>The network interfaces (loopback excluded).</summary>
    /// <value>Empty when none.</value>
    public IReadOnlyList<NetworkInterfaceDescription> NetworkInterfaces { get; init; } = [];

    /// <summary>The block devices (whole disks, from <c>/sys/block</c>).</summary>
    /// <value>Empty when none.</value>
    public IReadOnlyList<BlockDeviceDescription> BlockDevices { get; init; } = [];

    /// <summary>The mounted file systems with their space.</summary>
    /// <value>Empty when none.</value>
    public IReadOnlyList<MountDescription> Mounts { get; init; } = [];

    /// <summary>The LVM volume groups.</summary>
    /// <value>Empty when none or when LVM is not installed.</value>
    public IReadOnlyList<VolumeGroupDescription> VolumeGroups { get; init; } = [];
}

/// <summary>A network interface.</summary>
/// <param name="Name">The interface name (eth0).</param>
/// <param name="MacAddress">The MAC address, lowercase with colons.</param>
/// <param name="Addresses">The IP addresses with prefix length (10.0.0.5/24).</param>
public sealed record NetworkInterfaceDescription(string Name, string MacAddress, IReadOnlyList<string> Addresses);

/// <summary>A whole block device.</summary>
/// <param name="Name">The kernel name (sda, vda, nvme0n1).</param>
/// <param name="Path">The device path (/dev/sda).</param>
/// <param name="SizeBytes">The size in bytes.</param>
/// <param name="SectorSize">The logical sector size.</param>
/// <param name="Removable">Whether the device is removable.</param>
/// <param name="ReadOnly">Whether the device is read-only.</param>
public sealed record BlockDeviceDescription(string Name, string Path, long SizeBytes, int SectorSize, bool Removable, bool ReadOnly);

/// <summary>A mounted file system.</summary>
/// <param name="Source">The device or source (/dev/sda1, tmpfs).</param>
/// <param name="MountPoint">Where it is mounted.</param>
/// <param name="FileSystemType">The type (ext4, xfs, tmpfs).</param>
/// <param name="Options">The mount options.</param>
/// <param name="TotalBytes">The size.</param>
/// <param name="FreeBytes">The space available to unprivileged users.</param>
/// <param name="DeviceNumber">major:minor of the mounted device.</param>
/// <param name="Root">The directory of the file system mounted here ("/" unless a bind mount).</param>
public sealed record MountDescription(string Source, string MountPoint, string FileSystemType, string Options, long TotalBytes, long FreeBytes, string DeviceNumber, string Root)
{
    /// <summary>Whether this is a bind mount of a directory, or a second mount of a device mounted elsewhere too.</summary>
    /// <value><see langword="true"/> for bind and repeated mounts (SMS.1353).</value>
    public bool IsBindOrRepeated { get; init; }

    /// <summary>Whether the mount is a pseudo file system (proc, sysfs, tmpfs, cgroup…) that is not migrated.</summary>
    /// <value><see langword="true"/> for pseudo file systems.</value>
    public bool IsPseudo { get; init; }
}

/// <summary>An LVM volume group.</summary>
/// <param name="Name">The VG name.</param>
/// <param name="SizeBytes">The VG size.</param>
/// <param name="PhysicalVolumes">The PV device paths; "[unknown]" for a missing PV (SMS.1352).</param>
public sealed record VolumeGroupDescription(string Name, long SizeBytes, IReadOnlyList<string> PhysicalVolumes);
