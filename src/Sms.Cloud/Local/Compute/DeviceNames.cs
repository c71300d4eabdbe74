namespace Sms.Cloud.Local.Compute;

/// <summary>virtio device names: /dev/vda for the system disk, then /dev/vdb … /dev/vdz.</summary>
internal static class DeviceNames
{
    /// <summary>The system disk's device.</summary>
    public const string SystemDisk = "/dev/vda";

    /// <summary>How many data disks a server can have (vdb to vdz).</summary>
    public const int MaxDataDisks = 'z' - 'b' + 1;

    /// <summary>The device of the data disk at <paramref name="index"/> (0 is /dev/vdb).</summary>
    public static string DataDisk(int index) => "/dev/vd" + (char)('b' + index);

    /// <summary>Whether a device name is one of /dev/vda … /dev/vdz.</summary>
    public static bool IsValid(string device) => device.Length == 8 && device.StartsWith("/dev/vd", StringComparison.Ordinal) && device[7] is >= 'a' and <= 'z';

    /// <summary>The first data-disk device not in <paramref name="used"/>, or <see langword="null"/>.</summary>
    public static string? FirstFree(IReadOnlyCollection<string> used)
    {
        for (var i = 0; i < MaxDataDisks; i++)
        {
            var device = DataDisk(i);
            if (!used.Contains(device))
            {
                return device;
            }
        }

        return null;
    }
}
