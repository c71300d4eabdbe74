using Sms.Discovery.Host;

namespace Sms.Replication.Tests.Discovery.Host;

public sealed class MountInfoParserTests
{
    private const string Sample = """
        22 28 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
        28 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro
        29 28 8:2 / /data rw,relatime shared:2 - xfs /dev/sda2 rw
        30 28 8:2 /exports /srv/exports rw,relatime shared:2 - xfs /dev/sda2 rw
        31 28 8:3 / /mnt/with\040space rw,relatime - ext4 /dev/sda3 rw
        32 28 8:3 / /mnt/again rw,relatime - ext4 /dev/sda3 rw
        33 28 0:30 / /tmp rw,nosuid,nodev,noexec - tmpfs tmpfs rw
        """;

    [Fact]
    public void Parse_KernelFormat_ReadsFieldsAndUnescapes()
    {
        // When
        var entries = MountInfoParser.Parse(Sample);

        // Then
        Assert.Equal(7, entries.Count);
        Assert.Equal(new MountInfoParser.Entry("8:1", "/", "/", "rw,relatime", "ext4", "/dev/sda1"), entries[1]);
        Assert.Equal("/mnt/with space", entries[4].MountPoint);
        Assert.True(entries[0].IsPseudo);
        Assert.True(entries[6].IsPseudo);
    }

    [Fact]
    public void FindBindOrRepeated_BindOfSubdirectoryAndSecondMount_AreFlagged()
    {
        // Given
        var entries = MountInfoParser.Parse(Sample);

        // When
        var flags = MountInfoParser.FindBindOrRepeated(entries);

        // Then: /srv/exports is a bind of a sub-directory, /mnt/again a second mount of sda3.
        Assert.Equal([false, false, false, true, false, true, false], flags);
    }

    [Fact]
    public void Parse_MalformedLines_AreSkipped()
    {
        Assert.Empty(MountInfoParser.Parse("garbage\n1 2 3\n\n"));
    }
}
