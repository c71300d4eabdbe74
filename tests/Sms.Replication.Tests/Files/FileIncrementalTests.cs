using Sms.Files;

namespace Sms.Replication.Tests.Files;

public sealed class FileIncrementalTests
{
    [Fact]
    public async Task ReplicateAsync_OneFileChanged_SendsOnlyThatFile()
    {
        // Given
        await using var h = await FileHarness.StartAsync();
        for (var i = 0; i < 200; i++)
        {
            TreeBuilder.File(h.Src($"d{i % 7}/f{i}"), $"content {i}");
        }

        await h.ReplicateAsync();
        TreeBuilder.File(h.Src("d3/f10"), "new content, longer than before");

        // When
        var result = await h.ReplicateAsync();

        // Then
        Assert.Equal(ReplicationMode.Incremental, result.Mode);
        Assert.Equal(1, result.FilesSent);
        Assert.Equal("new content, longer than before".Length, result.BytesWritten);
        TreeSnapshot.AssertSameTree(h.Source, h.Target());
    }

    [Fact]
    public async Task ReplicateAsync_OneChunkOfALargeFileChanged_SendsOnlyThatChunk()
    {
        // Given: a 12 MiB file (12 chunks) on the target.
        await using var h = await FileHarness.StartAsync();
        TreeBuilder.Random(h.Src("big.bin"), 12 << 20, 7);
        await h.ReplicateAsync();
        using (var stream = new FileStream(h.Src("big.bin"), FileMode.Open, FileAccess.Write))
        {
            stream.Position = (5 << 20) + 100;
            stream.Write("changed!"u8);
        }

        // When
        var result = await h.ReplicateAsync();

        // Then: one chunk written (the rest copied from the old file on the target), content equal.
        Assert.Equal(1, result.FilesSent);
        Assert.Equal(1 << 20, result.BytesWritten);
        Assert.InRange(result.BytesSent, 1 << 20, (1 << 20) + 64 * 1024);
        TreeSnapshot.AssertSameTree(h.Source, h.Target());
    }

    [Fact]
    public async Task ReplicateAsync_LargeFileGrownAndShrunk_MatchesEachTime()
    {
        // Given
        await using var h = await FileHarness.StartAsync();
        TreeBuilder.Random(h.Src("grow.bin"), 3 << 20, 1);
        await h.ReplicateAsync();

        // When / Then: appended to, then cut in the middle of a chunk, then made sparse at the end.
        using (var stream = new FileStream(h.Src("grow.bin"), FileMode.Append))
        {
            stream.Write(new byte[(1 << 20) + 77]);
            stream.Write("tail"u8);
        }

        await h.ReplicateAsync();
        TreeSnapshot.AssertSameTree(h.Source, h.Target());
        using (var stream = new FileStream(h.Src("grow.bin"), FileMode.Open))
        {
            stream.SetLength((2 << 20) + 5);
        }

        await h.ReplicateAsync();
        TreeSnapshot.AssertSameTree(h.Source, h.Target());
        using (var stream = new FileStream(h.Src("grow.bin"), FileMode.Open))
        {
            stream.SetLength(40 << 20);
        }

        var last = await h.ReplicateAsync();
        TreeSnapshot.AssertSameTree(h.Source, h.Target());
        Assert.True(FileRoundTripTests.Blocks(h.Dst("grow.bin")) * 512 < 8 << 20, "the extension stays a hole");
        Assert.True(last.BytesWritten <= 1 << 20, $"{last.BytesWritten} bytes written");
    }

    [Fact]
    public async Task ReplicateAsync_RenamesAndDeletions_AreMirrored()
    {
        // Given
        await using var h = await FileHarness.StartAsync();
        TreeBuilder.File(h.Src("keep/a.txt"), "a");
        TreeBuilder.File(h.Src("old-name.txt"), "renamed file");
        for (var i = 0; i < 50; i++)
        {
            TreeBuilder.File(h.Src($"gone/deep/{i}/x"), "x");
        }

        TreeBuilder.File(h.Src("dir-renamed/inner/file"), "moved with its directory");
        await h.ReplicateAsync();

        // When
        File.Move(h.Src("old-name.txt"), h.Src("keep/new-name.txt"));
        Directory.Delete(h.Src("gone"), recursive: true);
        Directory.Move(h.Src("dir-renamed"), h.Src("keep/dir-moved"));
        var result = await h.ReplicateAsync();

        // Then: the deleted subtree counts once; the target equals the source, directory times included.
        TreeSnapshot.AssertSameTree(h.Source, h.Target());
        Assert.False(Directory.Exists(h.Dst("gone")));
        Assert.Equal(3, result.Deleted);
    }

    [Fact]
    public async Task ReplicateAsync_ChmodChownTouchAndXattrs_AreAppliedWithoutContent()
    {
        // Given
        await using var h = await FileHarness.StartAsync();
        TreeBuilder.Random(h.Src("small"), 5000, 1);
        TreeBuilder.Random(h.Src("large"), 5 << 20, 2);
        TreeBuilder.Xattr(h.Src("small"), "user.drop", "me");
        TreeBuilder.Dir(h.Src("dir"));
        TreeBuilder.Symlink(h.Src("link"), "small");
        await h.ReplicateAsync();

        // When: metadata-only changes of every kind.
        TreeBuilder.Mode(h.Src("small"), UnixFileMode.UserRead);
        TreeBuilder.Owner(h.Src("large"), 777, 888);
        TreeBuilder.Times(h.Src("large"), 1_234_567_890, 1, 1_234_567_890, 2);
        Sms.Files.Native.NativeQueries.RemoveXattr(h.Src("small"), "user.drop");
        TreeBuilder.Xattr(h.Src("dir"), "user.added", "later");
        TreeBuilder.Mode(h.Src("dir"), (UnixFileMode)0x1C0);
        TreeBuilder.Owner(h.Src("link"), 5, 6);
        var result = await h.ReplicateAsync();

        // Then
        Assert.Equal(0, result.FilesSent);
        Assert.Equal(0, result.BytesWritten);
        Assert.True(result.MetadataOnly >= 3, $"{result.MetadataOnly} metadata-only");
        TreeSnapshot.AssertSameTree(h.Source, h.Target());
    }

    [Fact]
    public async Task ReplicateAsync_TouchedButUnchangedLargeFile_SendsNoChunk()
    {
        // Given
        await using var h = await FileHarness.StartAsync();
        TreeBuilder.Random(h.Src("large"), 6 << 20, 3);
        await h.ReplicateAsync();

        // When: same content, new modification time (a touch, or a copy with the same bytes).
        TreeBuilder.Times(h.Src("large"), 1_700_000_000, 0, 1_700_000_000, 5);
        var result = await h.ReplicateAsync();

        // Then: the file is read and hashed, and only its metadata travels.
        Assert.Equal(6 << 20, result.BytesScanned);
        Assert.Equal(0, result.BytesWritten);
        Assert.Equal(1, result.MetadataOnly);
        TreeSnapshot.AssertSameTree(h.Source, h.Target());
    }

    [Fact]
    public async Task ReplicateAsync_KindChanges_ReplaceWhatTheTargetHas()
    {
        // Given: a file, a directory tree, a symlink and a FIFO.
        await using var h = await FileHarness.StartAsync();
        TreeBuilder.File(h.Src("was-file"), "file");
        TreeBuilder.File(h.Src("was-dir/inner/deep"), "deep");
        TreeBuilder.Symlink(h.Src("was-link"), "was-file");
        TreeBuilder.Node(h.Src("was-fifo"), FileKind.Fifo);
        TreeBuilder.Random(h.Src("was-large"), 3 << 20, 4);
        await h.ReplicateAsync();

        // When: each becomes another kind.
        File.Delete(h.Src("was-file"));
        TreeBuilder.File(h.Src("was-file/now-inside"), "a directory now");
        Directory.Delete(h.Src("was-dir"), recursive: true);
        TreeBuilder.Symlink(h.Src("was-dir"), "/nonexistent");
        File.Delete(h.Src("was-link"));
        TreeBuilder.Random(h.Src("was-link"), 2 << 20, 5);
        File.Delete(h.Src("was-fifo"));
        TreeBuilder.Dir(h.Src("was-fifo"));
        File.Delete(h.Src("was-large"));
        TreeBuilder.Node(h.Src("was-large"), FileKind.Fifo);
        await h.ReplicateAsync();

        // Then
        TreeSnapshot.AssertSameTree(h.Source, h.Target());
    }

    [Fact]
    public async Task ReplicateAsync_HardLinksAddedAndBroken_FollowTheSource()
    {
        // Given
        await using var h = await FileHarness.StartAsync();
        TreeBuilder.File(h.Src("a"), "shared");
        TreeBuilder.HardLink(h.Src("a"), h.Src("b"));
        TreeBuilder.Random(h.Src("big"), 3 << 20, 6);
        await h.ReplicateAsync();

        // When: a third name, the big file gains a link, and b is broken off with new content.
        TreeBuilder.HardLink(h.Src("a"), h.Src("z/c"));
        TreeBuilder.HardLink(h.Src("big"), h.Src("big-too"));
        File.Delete(h.Src("b"));
        TreeBuilder.File(h.Src("b"), "on its own now");
        await h.ReplicateAsync();

        // Then
        TreeSnapshot.AssertSameTree(h.Source, h.Target());

        // When: the shared content changes (every name must see it).
        File.WriteAllText(h.Src("a"), "shared, changed");
        await h.ReplicateAsync();
        TreeSnapshot.AssertSameTree(h.Source, h.Target());
        Assert.Equal("shared, changed", File.ReadAllText(h.Dst("z/c")));
    }

    [Fact]
    public async Task ReplicateAsync_NewFilesInASetGroupIdDirectory_KeepTheirOwnGroupAndMode()
    {
        // Given: a set-group-ID directory of group 3000 already on the target (new files there inherit its group).
        await using var h = await FileHarness.StartAsync();
        TreeBuilder.Dir(h.Src("shared"));
        TreeBuilder.Owner(h.Src("shared"), 0, 3000);
        TreeBuilder.Mode(h.Src("shared"), UnixFileMode.SetGroup | (UnixFileMode)0x1FD);
        await h.ReplicateAsync();

        // When: files of group 0, of group 3000, and with modes umask would not give.
        TreeBuilder.File(h.Src("shared/root-group"), "0");
        TreeBuilder.Owner(h.Src("shared/root-group"), 0, 0);
        TreeBuilder.File(h.Src("shared/dir-group"), "3000");
        TreeBuilder.Owner(h.Src("shared/dir-group"), 0, 3000);
        TreeBuilder.File(h.Src("shared/group-writable"), "g+w");
        TreeBuilder.Mode(h.Src("shared/group-writable"), (UnixFileMode)0x1B6);
        TreeBuilder.Random(h.Src("shared/large-setgid"), 3 << 20, 1);
        TreeBuilder.Mode(h.Src("shared/large-setgid"), UnixFileMode.SetGroup | (UnixFileMode)0x1ED);
        await h.ReplicateAsync();

        // Then
        TreeSnapshot.AssertSameTree(h.Source, h.Target());
    }

    [Fact]
    public async Task ReplicateAsync_WithoutStateDirectory_IsAFullPassThatReplacesTheTree()
    {
        // Given: a target tree from an earlier pass, and a source that changed meanwhile.
        await using var h = await FileHarness.StartAsync();
        TreeBuilder.File(h.Src("one"), "1");
        await h.ReplicateAsync();
        File.Delete(h.Src("one"));
        TreeBuilder.File(h.Src("two"), "2");

        // When: a one-off pass, no manifest.
        var result = await new FileReplicator().ReplicateAsync(h.Source, h.Pairing, "t", stateDirectory: null, FileHarness.Settings);

        // Then: full, and nothing of the old tree is left.
        Assert.Equal(ReplicationMode.Full, result.Mode);
        TreeSnapshot.AssertSameTree(h.Source, h.Target());
    }

    [Fact]
    public async Task ReplicateAsync_TwoTrees_AreIndependent()
    {
        // Given
        await using var h = await FileHarness.StartAsync();
        TreeBuilder.File(h.Src("x"), "x");

        // When
        await h.ReplicateAsync(tree: "first");
        await h.ReplicateAsync(tree: "second");
        TreeBuilder.File(h.Src("y"), "y");
        var first = await h.ReplicateAsync(tree: "first");

        // Then
        Assert.Equal(1, first.FilesSent);
        TreeSnapshot.AssertSameTree(h.Source, h.Target("first"));
        Assert.False(File.Exists(h.Dst("y", "second")));
    }
}
