using System.Diagnostics;
using System.Globalization;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Sms.Discovery.Host;

/// <summary>
/// Describes the running Linux host from <c>/etc/os-release</c>, <c>/proc</c>, <c>/sys</c>, the network stack and,
/// where installed, the LVM tools. The roots are settable so that a test can point at a prepared tree.
/// </summary>
public sealed class HostInventoryReader
{
    /// <summary>Creates a reader of the real host.</summary>
    public HostInventoryReader()
        : this("/")
    {
    }

    /// <summary>Creates a reader whose <c>/etc</c>, <c>/proc</c> and <c>/sys</c> live under <paramref name="root"/>.</summary>
    /// <param name="root">The root directory.</param>
    public HostInventoryReader(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = root;
    }

    /// <summary>The root the files are read under.</summary>
    /// <value>"/" for the real host.</value>
    public string Root { get; }

    /// <summary>Reads the inventory.</summary>
    /// <param name="cancellationToken">Cancels the LVM look-ups.</param>
    /// <returns>The inventory.</returns>
    public async Task<HostInventory> ReadAsync(CancellationToken cancellationToken = default)
    {
        var osRelease = ParseKeyValues(ReadText("etc/os-release") ?? ReadText("usr/lib/os-release") ?? string.Empty);
        var mounts = ReadMounts();
        return new HostInventory
        {
            HostName = (ReadText("proc/sys/kernel/hostname") ?? Environment.MachineName).Trim(),
            OperatingSystem = osRelease.GetValueOrDefault("PRETTY_NAME") ?? osRelease.GetValueOrDefault("NAME") ?? RuntimeInformation.OSDescription,
            OsId = osRelease.GetValueOrDefault("ID"),
            OsVersion = osRelease.GetValueOrDefault("VERSION_ID"),
            Kernel = (ReadText("proc/sys/kernel/osrelease") ?? Environment.OSVersion.Version.ToString()).Trim(),
            Architecture = (ReadText("proc/sys/kernel/arch") ?? ArchitectureName()).Trim(),
            Firmware = Directory.Exists(Combine("sys/firmware/efi")) ? FirmwareType.Uefi : FirmwareType.Bios,
            CpuCount = CountCpus(),
            MemoryBytes = ReadMemory(),
            NetworkInterfaces = ReadNetworkInterfaces(),
            BlockDevices = ReadBlockDevices(),
            Mounts = mounts,
            VolumeGroups = await ReadVolumeGroupsAsync(cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>Parses <c>KEY=value</c> lines (os-release), unquoting values.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The keys and values.</returns>
    public static Dictionary<string, string> ParseKeyValues(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (line.Length == 0 || line[0] == '#' || eq <= 0)
            {
                continue;
            }

            values[line[..eq]] = line[(eq + 1)..].Trim('"', '\'');
        }

        return values;
    }

    private List<MountDescription> ReadMounts()
    {
        var entries = MountInfoParser.Parse(ReadText("proc/self/mountinfo") ?? string.Empty);
        var flags = MountInfoParser.FindBindOrRepeated(entries);
        var mounts = new List<MountDescription>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            var (total, free) = e.IsPseudo ? (0L, 0L) : Space(e.MountPoint);
            mounts.Add(new MountDescription(e.Source, e.MountPoint, e.FileSystemType, e.Options, total, free, e.DeviceNumber, e.Root)
            {
                IsBindOrRepeated = flags[i],
                IsPseudo = e.IsPseudo,
            });
        }

        return mounts;
    }

    private (long Total, long Free) Space(string mountPoint)
    {
        if (Root != "/")
        {
            return (0, 0);
        }

        try
        {
            var drive = new DriveInfo(mountPoint);
            return (drive.TotalSize, drive.AvailableFreeSpace);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return (0, 0);
        }
    }

    private List<BlockDeviceDescription> ReadBlockDevices()
    {
        var devices = new List<BlockDeviceDescription>();
        var sysBlock = Combine("sys/block");
        if (!Directory.Exists(sysBlock))
        {
            return devices;
        }

        var names = Directory.GetFileSystemEntries(sysBlock);
        Array.Sort(names, StringComparer.Ordinal);
        foreach (var dir in names)
        {
            var name = Path.GetFileName(dir);
            var sectors = ReadLong(Path.Combine(dir, "size"));
            if (sectors <= 0 || name.StartsWith("ram", StringComparison.Ordinal))
            {
                continue;
            }

            var sector = (int)Math.Max(512, ReadLong(Path.Combine(dir, "queue", "logical_block_size")));
            devices.Add(new BlockDeviceDescription(
                name,
                "/dev/" + name,
                sectors * 512,
                sector,
                ReadLong(Path.Combine(dir, "removable")) == 1,
                ReadLong(Path.Combine(dir, "ro")) == 1));
        }

        return devices;
    }

    private static List<NetworkInterfaceDescription> ReadNetworkInterfaces()
    {
        var result = new List<NetworkInterfaceDescription>();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            {
                continue;
            }

            var addresses = new List<string>();
            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                if (unicast.Address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
                {
                    addresses.Add($"{unicast.Address}/{unicast.PrefixLength}");
                }
            }

            var mac = nic.GetPhysicalAddress().GetAddressBytes();
            result.Add(new NetworkInterfaceDescription(nic.Name, string.Join(':', Array.ConvertAll(mac, b => b.ToString("x2", CultureInfo.InvariantCulture))), addresses));
        }

        return result;
    }

    private int CountCpus()
    {
        var cpuinfo = ReadText("proc/cpuinfo");
        if (cpuinfo is null)
        {
            return Environment.ProcessorCount;
        }

        var count = 0;
        foreach (var line in cpuinfo.Split('\n'))
        {
            if (line.StartsWith("processor", StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count > 0 ? count : Environment.ProcessorCount;
    }

    private long ReadMemory()
    {
        var meminfo = ReadText("proc/meminfo") ?? string.Empty;
        foreach (var line in meminfo.Split('\n'))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb))
                {
                    return kb * 1024;
                }
            }
        }

        return 0;
    }

    private async Task<List<VolumeGroupDescription>> ReadVolumeGroupsAsync(CancellationToken cancellationToken)
    {
        var groups = new List<VolumeGroupDescription>();
        if (Root != "/")
        {
            return groups;
        }

        var vgs = await RunAsync("vgs", ["--noheadings", "--units", "b", "--nosuffix", "-o", "vg_name,vg_size"], cancellationToken).ConfigureAwait(false);
        var pvs = await RunAsync("pvs", ["--noheadings", "-o", "pv_name,vg_name"], cancellationToken).ConfigureAwait(false);
        if (vgs is null)
        {
            return groups;
        }

        foreach (var line in vgs.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2)
            {
                continue;
            }

            var members = new List<string>();
            foreach (var pv in (pvs ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var pvParts = pv.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (pvParts.Length >= 2 && pvParts[1] == parts[0])
                {
                    members.Add(pvParts[0]);
                }
            }

            _ = long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var size);
            groups.Add(new VolumeGroupDescription(parts[0], size, members));
        }

        return groups;
    }

    private static async Task<string?> RunAsync(string tool, string[] arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(info);
            if (process is null)
            {
                return null;
            }

            var output = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // not installed
        }
    }

    private static string ArchitectureName() => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "x86_64",
        System.Runtime.InteropServices.Architecture.X86 => "i686",
        System.Runtime.InteropServices.Architecture.Arm64 => "aarch64",
        System.Runtime.InteropServices.Architecture.Arm => "armv7l",
        var other => other.ToString().ToLowerInvariant(),
    };

    private string Combine(string relative) => Path.Combine(Root, relative);

    private string? ReadText(string relative)
    {
        try
        {
            var path = Combine(relative);
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long ReadLong(string path)
    {
        try
        {
            return File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
