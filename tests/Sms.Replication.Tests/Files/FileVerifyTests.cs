using Sms.Files;

namespace Sms.Replication.Tests.Files;

public sealed class FileVerifyTests
{
    [Fact]
    public async Task Verify_Full_ReportsInconsistentMissingAndRedundant_AndTheNextPassRepairsThem()
    {
        // Given: a replicated tree, then tampered with on the target.
        await using var h = await FileHarness.StartAsync();
        TreeBuilder.File(h.Src("same-size"), "AAAA");
        TreeBuilder.File(h.Src("gone"), "will vanish");
        TreeBuilder.Random(h.Src("large"), 3 << 20, 1);
        TreeBuilder.Symlink(h.Src("link"), "gone");
        await h.ReplicateAsync();
        var times = Sms.Files.Native.NativeQueries.Lstat(h.Dst("same-size"))!.Value;
        File.WriteAllText(h.Dst("same-size"), "BBBB"); // same size, same time: only a content check sees it
        TreeBuilder.Times(h.Dst("same-size"), times.Access.Seconds, times.Access.Nanoseconds, times.Modify.Seconds, times.Modify.Nanoseconds);
        File.Delete(h.Dst("gone"));
        TreeBuilder.File(h.Dst("extra/file"), "not on the source");

        // When
        var quick = await h.ReplicateAsync(FileHarness.Settings with { Verify = FileVerifyMode.Quick });
        var full = await h.ReplicateAsync(FileHarness.Settings with { Verify = FileVerifyMode.Full });
        var repaired = await h.ReplicateAsync(FileHarness.Settings with { Verify = FileVerifyMode.Full });

        // Then: quick sees what size and time show; full sees the content too; the next pass repairs everything.
        Assert.False(quick.Verified);
        Assert.Equal(["gone"], quick.Verification!.MissingAtTarget);
        Assert.Equal(["extra"], quick.Verification.RedundantAtTarget);
        Assert.Empty(quick.Verification.Inconsistent);
        Assert.False(full.Verified);
        Assert.Contains("same-size", full.Verification!.Inconsistent);
        Assert.True(repaired.Verified, string.Join(", ", repaired.Verification!.Inconsistent.Concat(repaired.Verification.MissingAtTarget).Concat(repaired.Verification.RedundantAtTarget)));
        TreeSnapshot.AssertSameTree(h.Source, h.Target());
    }

    [Fact]
    public async Task Verify_OnAnIntactTree_IsConsistentAndChangesNothing()
    {
        // Given
        await using var h = await FileHarness.StartAsync();
        FileRoundTripTests.BuildEverything(h.Source);
        await h.ReplicateAsync();
        var before = TreeSnapshot.Take(h.Target(), accessTimes: true);

        // When
        var result = await h.ReplicateAsync(FileHarness.Settings with { Verify = FileVerifyMode.Full });

        // Then: consistent, and reading the target back did not even change its access times.
        Assert.True(result.Verified);
        Assert.Equal(result.EntriesScanned, result.Verification!.EntriesChecked);
        TreeSnapshot.AssertSame(before, TreeSnapshot.Take(h.Target(), accessTimes: true));
    }
}
