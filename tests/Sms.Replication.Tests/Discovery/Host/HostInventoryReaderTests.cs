using Sms.Discovery;
using Sms.Discovery.Host;

namespace Sms.Replication.Tests.Discovery.Host;

public sealed class HostInventoryReaderTests
{
    [Fact]
    public async Task ReadAsync_PreparedRoot_ReadsOsKernelCpuMemoryMountsAndDisks()
    {
        // Given: a tree shaped like /etc, /proc and /sys.
        using var dir = new Integration.TempDirectory();
        Write(dir, "etc/os-release", "NAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\nID=ubuntu\nPRETTY_NAME=\"Ubuntu 22.04.4 LTS\"\n");
        Write(dir, "proc/sys/kernel/osrelease", "5.15.0-101-generic\n");
        Write(dir, "proc/sys/kernel/hostname", "web01\n");
        Write(dir, "proc/sys/kernel/arch", "x86_64\n");
        Write(dir, "proc/cpuinfo", "processor\t: 0\nmodel name\t: x\n\nprocessor\t: 1\n\nprocessor\t: 2\n\nprocessor\t: 3\n");
        Write(dir, "proc/meminfo", "MemTotal:        8039936 kB\nMemFree:  1 kB\n");
        Write(dir, "proc/self/mountinfo", "28 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw\n29 28 8:1 /home /srv rw - ext4 /dev/sda1 rw\n");
        Write(dir, "sys/block/sda/size", "41943040\n");
        Write(dir, "sys/block/sda/queue/logical_block_size", "512\n");
        Write(dir, "sys/block/sda/removable", "0\n");
        Write(dir, "sys/block/sda/ro", "0\n");
        Write(dir, "sys/block/ram0/size", "8192\n");
        Directory.CreateDirectory(dir.Combine("sys/firmware/efi"));

        // When
        var host = await new HostInventoryReader(dir.Path).ReadAsync();

        // Then
        Assert.Equal("Ubuntu 22.04.4 LTS", host.OperatingSystem);
        Assert.Equal("ubuntu", host.OsId);
        Assert.Equal("22.04", host.OsVersion);
        Assert.Equal("5.15.0-101-generic", host.Kernel);
        Assert.Equal("web01", host.HostName);
        Assert.Equal("x86_64", host.Architecture);
        Assert.Equal(FirmwareType.Uefi, host.Firmware);
        Assert.Equal(4, host.CpuCount);
        Assert.Equal(8039936L * 1024, host.MemoryBytes);
        Assert.Equal([new BlockDeviceDescription("sda", "/dev/sda", 41943040L * 512, 512, false, false)], host.BlockDevices);
        Assert.Equal(2, host.Mounts.Count);
        Assert.True(host.Mounts[1].IsBindOrRepeated);
    }

    [Fact]
    public async Task ReadAsync_ThisHost_DescribesIt()
    {
        // When
        var host = await new HostInventoryReader().ReadAsync();

        // Then
        Assert.False(string.IsNullOrWhiteSpace(host.OperatingSystem));
        Assert.False(string.IsNullOrWhiteSpace(host.Kernel));
        Assert.True(host.CpuCount >= 1);
        Assert.True(host.MemoryBytes > 0);
        Assert.Contains(host.Mounts, m => m.MountPoint == "/" && m.TotalBytes > 0);
        Assert.Equal(Directory.Exists("/sys/firmware/efi") ? FirmwareType.Uefi : FirmwareType.Bios, host.Firmware);
    }

    private static void Write(Integration.TempDirectory dir, string relative, string text)
    {
        var path = dir.Combine(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
