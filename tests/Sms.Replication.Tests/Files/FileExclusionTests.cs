using Sms.Files;

namespace Sms.Replication.Tests.Files;

public sealed class FileExclusionTests
{
    [Fact]
    public async Task ReplicateAsync_Exclusions_LeaveMatchingEntriesOut()
    {
        // Given
        await using var h = await FileHarness.StartAsync();
        TreeBuilder.File(h.Src("keep.txt"), "kept");
        TreeBuilder.File(h.Src("app/debug.log"), "excluded everywhere");
        TreeBuilder.File(h.Src("app/cache/blob"), "excluded below an anchored directory");
        TreeBuilder.File(h.Src("other/cache/blob"), "not anchored there: kept");
        var settings = FileHarness.Settings with { ExcludeFromFullCopy = ["*.log", "/app/cache/*"], ExcludeFromSync = ["*.log", "/app/cache/*"] };

        // When
        var result = await h.ReplicateAsync(settings);

        // Then: the excluded directory itself is kept (empty), as the seeds' "/proc/*" keeps /proc.
        TreeSnapshot.AssertSameTree(h.Source, h.Target(), accessTimes: false, "app/debug.log", "app/cache/blob", "app/cache", "app");
        Assert.False(File.Exists(h.Dst("app/debug.log")));
        Assert.True(Directory.Exists(h.Dst("app/cache")));
        Assert.Empty(Directory.GetFileSystemEntries(h.Dst("app/cache")));
        Assert.True(File.Exists(h.Dst("other/cache/blob")));
        Assert.Equal(2, result.EntriesExcluded);
    }

    [Fact]
    public async Task ReplicateAsync_FullAndSyncLists_ApplyToTheirOwnPasses()
    {
        // Given: "bulk" is excluded from the full copy only, "etc" from syncs only (the seeds' distinction).
        await using var h = await FileHarness.StartAsync();
        TreeBuilder.File(h.Src("bulk/data"), "copied by the first sync");
        TreeBuilder.File(h.Src("etc/config"), "copied once, then left alone");
        TreeBuilder.File(h.Src("etc/removed-later"), "stays on the target");
        var settings = FileHarness.Settings with { ExcludeFromFullCopy = ["/bulk/*"], ExcludeFromSync = ["/etc/*"] };

        // When
        await h.ReplicateAsync(settings);
        var afterFull = File.Exists(h.Dst("bulk/data"));
        File.WriteAllText(h.Src("etc/config"), "changed on the source");
        File.Delete(h.Src("etc/removed-later"));
        await h.ReplicateAsync(settings);
        var third = await h.ReplicateAsync(settings);

        // Then
        Assert.False(afterFull);
        Assert.Equal("copied by the first sync", File.ReadAllText(h.Dst("bulk/data")));
        Assert.Equal("copied once, then left alone", File.ReadAllText(h.Dst("etc/config")));
        Assert.True(File.Exists(h.Dst("etc/removed-later")));
        Assert.Equal(0, third.FilesSent);
        Assert.Equal(0, third.Deleted);
    }

    [Fact]
    public async Task ReplicateAsync_LiveRootExclusions_KeepPseudoFileSystemsEmpty()
    {
        // Given: a tree shaped like a live root.
        await using var h = await FileHarness.StartAsync();
        foreach (var dir in new[] { "proc/1", "sys/kernel", "dev/pts", "run/lock", "tmp/x", "lost+found/#12", "var/lib/ntp/proc/y" })
        {
            TreeBuilder.File(h.Src(dir + "/file"), "volatile");
        }

        TreeBuilder.File(h.Src("etc/hostname"), "server");
        TreeBuilder.File(h.Src("var/lib/ntp/drift"), "0.1");

        // When
        await h.ReplicateAsync(FileHarness.Settings with { LiveRootExclusions = true });

        // Then
        foreach (var dir in new[] { "proc", "sys", "dev", "run", "tmp", "lost+found", "var/lib/ntp/proc" })
        {
            Assert.True(Directory.Exists(h.Dst(dir)), dir);
            Assert.Empty(Directory.GetFileSystemEntries(h.Dst(dir)));
        }

        Assert.True(File.Exists(h.Dst("etc/hostname")));
        Assert.True(File.Exists(h.Dst("var/lib/ntp/drift")));
    }

    [Fact]
    public async Task ReplicateAsync_StateDirectoryInsideTheSource_IsNotCopied()
    {
        // Given: the state directory lives inside the tree being copied.
        await using var h = await FileHarness.StartAsync();
        TreeBuilder.File(h.Src("data"), "data");
        var state = h.Src(".sms-state");

        // When
        await new FileReplicator().ReplicateAsync(h.Source, h.Pairing, "t", state, FileHarness.Settings);
        var again = await new FileReplicator().ReplicateAsync(h.Source, h.Pairing, "t", state, FileHarness.Settings);

        // Then
        Assert.False(Directory.Exists(h.Dst(".sms-state")));
        Assert.Equal(0, again.FilesSent);
    }

    [Fact]
    public void SourceRoot_Slash_IsTheSystemRoot()
    {
        Assert.True(Sms.Files.Source.SourceRoot.Resolve("/").IsSystemRoot);
        Assert.False(Sms.Files.Source.SourceRoot.Resolve("/tmp").IsSystemRoot);
    }
}
