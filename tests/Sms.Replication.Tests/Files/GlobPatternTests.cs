using Sms.Files;

namespace Sms.Replication.Tests.Files;

public sealed class GlobPatternTests
{
    [Theory]
    [InlineData("/proc/*", "proc/1", false, true)]
    [InlineData("/proc/*", "proc", true, false)]
    [InlineData("/proc/*", "proc/1/status", false, false)]
    [InlineData("/proc/*", "a/proc/1", false, false)]
    [InlineData("*.log", "x.log", false, true)]
    [InlineData("*.log", "var/log/x.log", false, true)]
    [InlineData("*.log", "x.log.gz", false, false)]
    [InlineData("/var/**/cache", "var/cache", true, true)]
    [InlineData("/var/**/cache", "var/a/b/cache", true, true)]
    [InlineData("/var/**", "var/a/b", false, true)]
    [InlineData("tmp/", "a/tmp", true, true)]
    [InlineData("tmp/", "a/tmp", false, false)]
    [InlineData("/data/file?.txt", "data/file1.txt", false, true)]
    [InlineData("/data/file?.txt", "data/file10.txt", false, false)]
    [InlineData("/data/[a-c]*", "data/beta", false, true)]
    [InlineData("/data/[!a-c]*", "data/beta", false, false)]
    [InlineData("/data/[!a-c]*", "data/delta", false, true)]
    [InlineData("/etc/fstab", "etc/fstab", false, true)]
    [InlineData("/etc/fstab", "etc/fstab.bak", false, false)]
    [InlineData("/root/.initrd_bak*", "root/.initrd_bak42", true, true)]
    [InlineData(@"/a\*b", "a*b", false, true)]
    [InlineData(@"/a\*b", "axb", false, false)]
    [InlineData("/tmp/_MEI*", "tmp/_MEI123", true, true)]
    [InlineData("/ünï/*", "ünï/x", false, true)]
    public void IsMatch_Patterns_MatchAsDocumented(string pattern, string path, bool isDirectory, bool expected)
    {
        // Given
        var glob = GlobPattern.Parse(pattern);

        // When
        var matched = glob.IsMatch(Sms.Files.Native.RawPath.FromText(path), isDirectory);

        // Then
        Assert.Equal(expected, matched);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("/data/[abc")]
    public void Parse_Malformed_Throws(string pattern)
    {
        Assert.Throws<ArgumentException>(() => GlobPattern.Parse(pattern));
    }

    [Fact]
    public void IsExcludedOrUnder_EntryBelowAnExcludedDirectory_IsExcluded()
    {
        // Given
        var set = new ExclusionSet(FileExclusions.LiveRoot);

        // Then
        Assert.True(set.IsExcludedOrUnder("proc/1/status", isDirectory: false));
        Assert.True(set.IsExcludedOrUnder("var/lib/ntp/proc/x", isDirectory: false));
        Assert.False(set.IsExcludedOrUnder("proc", isDirectory: true));
        Assert.False(set.IsExcludedOrUnder("var/lib/ntp/other", isDirectory: false));
        Assert.False(set.IsExcludedOrUnder("usr/bin/ls", isDirectory: false));
    }

    [Fact]
    public void LiveRoot_IsTheSeedsList()
    {
        Assert.Equal(["/proc/*", "/sys/*", "/dev/*", "/run/*", "/tmp/*", "/lost+found/*", "/var/lib/ntp/proc/*"], FileExclusions.LiveRoot);
        Assert.Contains("/etc/*", FileExclusions.SeedSyncDefaults);
    }
}
