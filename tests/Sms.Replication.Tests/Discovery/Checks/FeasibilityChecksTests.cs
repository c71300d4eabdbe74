using Sms.Discovery;
using Sms.Discovery.Checks;

namespace Sms.Replication.Tests.Discovery.Checks;

public sealed class FeasibilityChecksTests
{
    private static readonly MountDescription Root = new("/dev/sda1", "/", "ext4", "rw,relatime", 20L << 30, 5L << 30, "8:1", "/");

    private static HostInventory Host(params MountDescription[] mounts) => new()
    {
        HostName = "h",
        OperatingSystem = "Debian 12",
        Kernel = "6.1",
        Architecture = "x86_64",
        Firmware = FirmwareType.Bios,
        CpuCount = 2,
        MemoryBytes = 4L << 30,
        Mounts = [Root, .. mounts],
    };

    [Fact]
    public void CheckHost_HealthyHost_FindsNothing()
    {
        Assert.Empty(FeasibilityChecks.CheckHost(Host(), tmpExists: true));
    }

    [Fact]
    public void CheckHost_FullMountPoint_IsSms1351WithTheSeedsText()
    {
        // Given
        var full = new MountDescription("/dev/sdb1", "/data", "xfs", "rw", 10L << 30, 4096, "8:17", "/");

        // When
        var finding = Assert.Single(FeasibilityChecks.CheckHost(Host(full), tmpExists: true));

        // Then
        Assert.Equal("SMS.1351", finding.Code.Value);
        Assert.Equal(CheckSeverity.Error, finding.Severity);
        Assert.Equal("Mount point /data detected on the source server, which has no free space. Ensure that there is at least 1 MB of space.", finding.Message);
    }

    [Fact]
    public void CheckHost_BindMount_IsSms1353Warning()
    {
        var bind = new MountDescription("/dev/sda1", "/srv", "ext4", "rw", 20L << 30, 5L << 30, "8:1", "/home") { IsBindOrRepeated = true };
        var finding = Assert.Single(FeasibilityChecks.CheckHost(Host(bind), tmpExists: true));
        Assert.Equal("SMS.1353", finding.Code.Value);
        Assert.Equal(CheckSeverity.Warning, finding.Severity);
        Assert.Contains("/srv", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckHost_UnknownPhysicalVolume_IsSms1352()
    {
        var host = Host() with { VolumeGroups = [new VolumeGroupDescription("vg0", 1L << 30, ["/dev/sdb", "[unknown]"])] };
        var finding = Assert.Single(FeasibilityChecks.CheckHost(host, tmpExists: true));
        Assert.Equal("SMS.1352", finding.Code.Value);
        Assert.Equal("Unknown physical volumes detected on the source server.", finding.Message);
    }

    [Fact]
    public void CheckHost_TmpMissingOrNoexec_IsSms5103OrSms5102()
    {
        var missing = Assert.Single(FeasibilityChecks.CheckHost(Host(), tmpExists: false));
        Assert.Equal("SMS.5103", missing.Code.Value);

        var noexec = new MountDescription("tmpfs", "/tmp", "tmpfs", "rw,nosuid,noexec", 1L << 30, 1L << 30, "0:30", "/") { IsPseudo = true };
        var finding = Assert.Single(FeasibilityChecks.CheckHost(Host(noexec), tmpExists: true));
        Assert.Equal("SMS.5102", finding.Code.Value);
    }

    [Fact]
    public void CheckHost_ArmAndUnsupportedFileSystem_AreSms0206AndSms6509()
    {
        var zfs = new MountDescription("tank/data", "/tank", "zfs", "rw", 10L << 30, 5L << 30, "0:50", "/");
        var findings = FeasibilityChecks.CheckHost(Host(zfs) with { Architecture = "aarch64" }, tmpExists: true);
        Assert.Contains(findings, f => f.Code.Value == "SMS.0206" && f.Message == "Only servers with X86 architecture can be migrated.");
        Assert.Contains(findings, f => f.Code.Value == "SMS.6509" && f.Message.Contains("/tank", StringComparison.Ordinal));
    }

    [Fact]
    public void CheckTarget_FirmwareMismatch_UsesTheSeedsWords()
    {
        var finding = Assert.Single(FeasibilityChecks.CheckTarget(FirmwareType.Uefi, [10L << 30], new TargetServerDescription(FirmwareType.Bios, [10L << 30])));
        Assert.Equal("Inconsistent firmware type. Source: UEFI, Target: BIOS", finding.Message);
    }

    [Fact]
    public void CheckTarget_SmallerOrMissingDisks_AreErrors()
    {
        var findings = FeasibilityChecks.CheckTarget(FirmwareType.Bios, [40L << 30, 100L << 30, 5L << 30], new TargetServerDescription(FirmwareType.Bios, [40L << 30, 50L << 30]));
        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Equal(CheckSeverity.Error, f.Severity));
        Assert.Contains(findings, f => f.Message.StartsWith("Target disk 1 is", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Message.StartsWith("Insufficient disks on the Target ECS", StringComparison.Ordinal));
    }

    [Fact]
    public void CheckDisks_MoreThan23_IsAnError()
    {
        var disk = new DiskInventory { Path = "/dev/x", SizeBytes = 1, SectorSize = 512, PartitionTable = new PartitionTable { Kind = PartitionTableKind.None }, ValidBytes = 0, DataBytes = 0 };
        Assert.Empty(FeasibilityChecks.CheckDisks(Enumerable.Repeat(disk, 23).ToList()));
        var finding = Assert.Single(FeasibilityChecks.CheckDisks(Enumerable.Repeat(disk, 24).ToList()));
        Assert.Equal(SmsErrorCode.TooManyDisks, finding.Code);
    }
}
