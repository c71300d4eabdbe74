using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sms.Fixups.Rewriters;

namespace Sms.Agent.Hosting.Tests.Fixups;

public sealed class FstabRewriterTests
{
    private const string Fstab =
        "# /etc/fstab: static file system information.\n" +
        "#\n" +
        "# <file system>  <mount point>  <type>  <options>  <dump>  <pass>\n" +
        "/dev/sda1\t/\text4\terrors=remount-ro\t0\t1\n" +
        "UUID=" + RewriterTestData.SrvUuid + "  /srv  ext4  defaults,noatime  0  2\n" +
        "/dev/sda3   none   swap   sw   0   0\n" +
        "  /dev/vdb1 /data ext4 defaults 0 2\r\n" +
        "/dev/sde1 /backup ext4 defaults,nofail 0 2\n" +
        "LABEL=data /mnt/label ext4 defaults 0 2\n" +
        "tmpfs /tmp tmpfs defaults,size=512m 0 0\n" +
        "nfs.example.com:/export /mnt/nfs nfs defaults,_netdev 0 0\n" +
        "/dev/mapper/vg0-lv0 /opt xfs defaults 0 0\n" +
        "/dev/cdrom /media/cdrom iso9660 noauto,ro 0 0\n" +
        "# /dev/sda2 /old ext4 defaults 0 2\n";

    [Fact]
    public void Rewrite_RealisticFstab_ReplacesOnlyDeviceNamesThatMap()
    {
        // Given
        var map = RewriterTestData.Map();

        // When
        var result = FstabRewriter.Rewrite(Fstab, map);

        // Then
        var expected = Fstab
            .Replace("/dev/sda1\t/", "UUID=" + RewriterTestData.RootUuid + "\t/", StringComparison.Ordinal)
            .Replace("/dev/sda3   none", "UUID=" + RewriterTestData.SwapUuid + "   none", StringComparison.Ordinal)
            .Replace("  /dev/vdb1 /data", "  UUID=" + RewriterTestData.DataUuid + " /data", StringComparison.Ordinal);
        Assert.Equal(expected, result.Text);
        Assert.Equal(["/dev/sda1", "/dev/sda3", "/dev/vdb1"], result.Mapped.Select(m => m.Device));
        Assert.Equal(["/", "none", "/data"], result.Mapped.Select(m => m.MountPoint));
        var unmapped = Assert.Single(result.Unmapped);
        Assert.Equal("/dev/sde1", unmapped.Device);
        Assert.Equal(8, unmapped.Line);
        Assert.Contains("the target has 4 disk(s)", unmapped.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/dev/sda1", RewriterTestData.RootUuid)]
    [InlineData("/dev/xvda2", RewriterTestData.SrvUuid)]
    [InlineData("/dev/hda3", RewriterTestData.SwapUuid)]
    [InlineData("/dev/nvme1n1p1", RewriterTestData.DataUuid)]
    [InlineData("/dev/mmcblk1p1", RewriterTestData.DataUuid)]
    [InlineData("/dev/vdc", RewriterTestData.WholeUuid)]
    [InlineData("/dev/nvme2n1", RewriterTestData.WholeUuid)]
    public void Look_KernelNames_MapByDiskIndexAndPartitionNumber(string device, string uuid)
    {
        // Given
        var map = RewriterTestData.Map();

        // When
        var lookup = map.Look(device);

        // Then
        Assert.Equal(DeviceLookupKind.Mapped, lookup.Kind);
        Assert.Equal(uuid, lookup.Volume!.Uuid);
    }

    [Theory]
    [InlineData("/dev/sda", "has a partition table")]
    [InlineData("/dev/sda9", "no partition 9")]
    [InlineData("/dev/sdd1", "LVM physical volume")]
    [InlineData("/dev/sdd2", "no known file system")]
    [InlineData("/dev/nvme0n2p1", "namespace 2")]
    [InlineData("/dev/disk/by-path/pci-0000:00:05.0-part1", "no alias")]
    [InlineData("/dev/disk/by-id/virtio-abc123-part1", "no alias")]
    public void Look_DevicesThatCannotBeMapped_AreUnmappedWithTheReason(string device, string reason)
    {
        // Given
        var map = RewriterTestData.Map();

        // When
        var lookup = map.Look(device);

        // Then
        Assert.Equal(DeviceLookupKind.Unmapped, lookup.Kind);
        Assert.Contains(reason, lookup.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/dev/disk/by-path/pci-0000:00:05.0-part1", RewriterTestData.DataUuid)]
    [InlineData("/dev/disk/by-id/virtio-root0-part2", RewriterTestData.SrvUuid)]
    [InlineData("/dev/sdb1", RewriterTestData.RootUuid)]
    public void Look_Aliases_MapThroughTheSourcesOtherDiskNames(string device, string uuid)
    {
        // Given: the source's first disk was sdb, its second has a by-path name.
        var map = RewriterTestData.Map(new Dictionary<string, int>
        {
            ["/dev/disk/by-path/pci-0000:00:05.0"] = 1,
            ["/dev/disk/by-id/virtio-root0"] = 0,
            ["/dev/sdb"] = 0,
        });

        // When
        var lookup = map.Look(device);

        // Then
        Assert.Equal(DeviceLookupKind.Mapped, lookup.Kind);
        Assert.Equal(uuid, lookup.Volume!.Uuid);
    }

    [Theory]
    [InlineData("UUID=abc")]
    [InlineData("LABEL=root")]
    [InlineData("PARTUUID=0a1b-01")]
    [InlineData("/dev/mapper/vg0-root")]
    [InlineData("/dev/vg0/root")]
    [InlineData("/dev/md0")]
    [InlineData("/dev/disk/by-uuid/" + RewriterTestData.RootUuid)]
    [InlineData("/dev/sr0")]
    [InlineData("tmpfs")]
    [InlineData("//server/share")]
    public void Look_NamesThatSurviveTheMove_AreNotDevices(string spec)
    {
        // Given
        var map = RewriterTestData.Map();

        // When
        var lookup = map.Look(spec);

        // Then
        Assert.Equal(DeviceLookupKind.NotADevice, lookup.Kind);
    }

    [Property(MaxTest = 300)]
    public Property Rewrite_LinesWithoutDeviceNames_AreNeverChanged()
    {
        var lines = Gen.ListOf(FstabGen.OtherLine).Select(l => string.Join('\n', l));
        return Prop.ForAll(lines.ToArbitrary(), text => FstabRewriter.Rewrite(text, RewriterTestData.Map()).Text == text);
    }

    [Property(MaxTest = 300)]
    public Property Rewrite_AnyFstab_IsIdempotentAndKeepsTheLineCount()
    {
        return Prop.ForAll(FstabGen.Document.ToArbitrary(), text =>
        {
            var map = RewriterTestData.Map();
            var once = FstabRewriter.Rewrite(text, map);
            var twice = FstabRewriter.Rewrite(once.Text, map);
            return twice.Text == once.Text && twice.Mapped.Count == 0 && once.Text.Split('\n').Length == text.Split('\n').Length;
        });
    }

    [Property(MaxTest = 300)]
    public Property Rewrite_AnyFstab_ChangesOnlyTheFirstFieldOfMappedLines()
    {
        return Prop.ForAll(FstabGen.Document.ToArbitrary(), text =>
        {
            var result = FstabRewriter.Rewrite(text, RewriterTestData.Map());
            var before = text.Split('\n');
            var after = result.Text.Split('\n');
            var mapped = result.Mapped.ToDictionary(m => m.Line - 1);
            return before.Select((line, n) =>
            {
                if (!mapped.TryGetValue(n, out var m))
                {
                    return after[n] == line;
                }

                var at = line.IndexOf(m.Device, StringComparison.Ordinal);
                return after[n] == line[..at] + "UUID=" + m.Volume.Uuid + line[(at + m.Device.Length)..];
            }).All(ok => ok);
        });
    }

    /// <summary>Generators of fstab lines.</summary>
    private static class FstabGen
    {
        private static readonly Gen<string> Blank = Gen.Elements(" ", "\t", "  ", " \t ", "    ");

        private static readonly Gen<string> Tail = Gen.Elements(
            "/ ext4 defaults 0 1", "/srv xfs defaults,noatime 0 2", "none swap sw 0 0", "/mnt/x\\040y ext4 nofail 0 2", "/data ext4 defaults 0 2\r");

        private static readonly Gen<string> OtherSpec = Gen.Elements(
            "UUID=" + RewriterTestData.RootUuid, "LABEL=data", "PARTUUID=1234-01", "tmpfs", "proc", "/dev/mapper/vg-lv", "/dev/md127", "nfs:/export",
            "//smb/share", "/srv/bind", "/dev/disk/by-uuid/abc", "/dev/sr0", "/dev/cdrom", "#/dev/sda1", "# UUID=x");

        private static readonly Gen<string> DeviceSpec = Gen.Elements(
            "/dev/sda1", "/dev/sda2", "/dev/sda3", "/dev/vdb1", "/dev/xvda1", "/dev/nvme0n1p2", "/dev/sdz1", "/dev/vdc", "/dev/sdd1", "/dev/disk/by-path/pci-0-part1");

        public static Gen<string> OtherLine { get; } = Gen.OneOf(
            from lead in Gen.Elements(string.Empty, " ", "\t")
            from spec in OtherSpec
            from blank in Blank
            from tail in Tail
            select lead + spec + blank + tail,
            Gen.Elements(string.Empty, "#", "# comment /dev/sda1 / ext4", "   ", "\t# indented comment"));

        public static Gen<string> DeviceLine { get; } =
            from lead in Gen.Elements(string.Empty, " ", "\t")
            from spec in DeviceSpec
            from blank in Blank
            from tail in Tail
            select lead + spec + blank + tail;

        public static Gen<string> Document { get; } = Gen.ListOf(Gen.Frequency((2, OtherLine), (1, DeviceLine))).Select(lines => string.Join('\n', lines));
    }
}
