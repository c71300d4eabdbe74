using Sms.Files;
using Sms.Files.Native;

namespace Sms.Replication.Tests.Files;

public sealed class FileRoundTripTests
{
    [Fact]
    public async Task ReplicateAsync_EveryKindAndAttribute_RoundTripsExactly()
    {
        // Given: every entry kind with owners, modes, nanosecond times, xattrs and ACLs.
        await using var h = await FileHarness.StartAsync();
        BuildEverything(h.Source);
        var expected = TreeSnapshot.Take(h.Source, accessTimes: true);

        // When
        var result = await h.ReplicateAsync();

        // Then: statx, xattrs, link groups and contents are equal on both sides, access times included.
        Assert.Equal(ReplicationMode.Full, result.Mode);
        TreeSnapshot.AssertSame(expected, TreeSnapshot.Take(h.Target(), accessTimes: true));
        Assert.Equal(expected.Count, result.EntriesScanned);
        Assert.Equal("/etc/passwd", new FileInfo(h.Dst("links/absolute")).LinkTarget);
        Assert.Equal("nowhere/at/all", new FileInfo(h.Dst("links/dangling")).LinkTarget);
    }

    [Fact]
    public async Task ReplicateAsync_GetfattrAndGetfacl_ShowTheSameOnBothSides()
    {
        // Given
        await using var h = await FileHarness.StartAsync();
        BuildEverything(h.Source);

        // When
        await h.ReplicateAsync();

        // Then: the attribute tools print the same for both trees (where they are installed).
        var sourceAttributes = TreeBuilder.Run("getfattr", h.Source, "-R", "-h", "-d", "-m", "-", "-e", "hex", ".");
        var sourceAcls = TreeBuilder.Run("getfacl", h.Source, "-R", "-P", "-n", ".");
        if (sourceAttributes is not null)
        {
            Assert.Equal(sourceAttributes, TreeBuilder.Run("getfattr", h.Target(), "-R", "-h", "-d", "-m", "-", "-e", "hex", "."));
            Assert.Contains("system.posix_acl_access", sourceAttributes, StringComparison.Ordinal);
        }

        if (sourceAcls is not null)
        {
            Assert.Equal(sourceAcls, TreeBuilder.Run("getfacl", h.Target(), "-R", "-P", "-n", "."));
            Assert.Contains("user:1000:rwx", sourceAcls, StringComparison.Ordinal);
            Assert.Contains("default:user:1000:r-x", sourceAcls, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ReplicateAsync_SparseFiles_StaySparseAndDenseZerosStayAllocated()
    {
        // Given: a 64 MiB file with three 8 KiB islands, a small sparse file, and 3 MiB of written zeros.
        await using var h = await FileHarness.StartAsync();
        TreeBuilder.Sparse(h.Src("big.sparse"), 64L << 20, 0, 20L << 20, (64L << 20) - 8192);
        TreeBuilder.Sparse(h.Src("small.sparse"), 40_000, 32_768);
        TreeBuilder.Bytes(h.Src("zeros.dense"), new byte[3 << 20]);

        // When
        var result = await h.ReplicateAsync();

        // Then: same content; holes are holes on the target, written zeros are allocated there.
        TreeSnapshot.AssertSameTree(h.Source, h.Target());
        Assert.True(Blocks(h.Dst("big.sparse")) <= Blocks(h.Src("big.sparse")) + 64, $"{Blocks(h.Dst("big.sparse"))} blocks");
        Assert.True(Blocks(h.Dst("small.sparse")) <= Blocks(h.Src("small.sparse")) + 16);
        Assert.True(Blocks(h.Dst("zeros.dense")) * 512 >= 3 << 20);
        Assert.True(result.BytesScanned < 10L << 20, $"holes were read: {result.BytesScanned}");
    }

    [Fact]
    public async Task ReplicateAsync_ManySmallFiles_AreBatchedIntoFewFrames()
    {
        // Given: 3000 small files.
        await using var h = await FileHarness.StartAsync();
        for (var i = 0; i < 3000; i++)
        {
            TreeBuilder.File(h.Src($"d{i % 30}/f{i}.txt"), $"file {i}");
        }

        // When
        var result = await h.ReplicateAsync();

        // Then: everything arrived, in far fewer frames than files (40-byte headers: 3000 frames alone would be 120 KB).
        Assert.Equal(3000, result.FilesSent);
        TreeSnapshot.AssertSameTree(h.Source, h.Target());
        Assert.True(result.BytesSent < 400_000, $"{result.BytesSent} bytes on the wire");
    }

    [Fact]
    public async Task ReplicateAsync_OddNames_RoundTrip()
    {
        // Given: spaces, newlines, a leading dash, non-ASCII, a 255-byte name and a name that looks like the receiver's temporaries.
        await using var h = await FileHarness.StartAsync();
        TreeBuilder.File(h.Src("with space"), "1");
        TreeBuilder.File(h.Src("new\nline"), "2");
        TreeBuilder.File(h.Src("-dash"), "3");
        TreeBuilder.File(h.Src("ünïcødé/日本語.txt"), "4");
        TreeBuilder.File(h.Src(new string('n', 255)), "5");
        TreeBuilder.File(h.Src(".sms-000000000000-1"), "6");

        // When
        await h.ReplicateAsync();

        // Then
        TreeSnapshot.AssertSameTree(h.Source, h.Target());
    }

    [Fact]
    public async Task ReplicateAsync_SecondPassWithoutChanges_SendsNothing()
    {
        // Given
        await using var h = await FileHarness.StartAsync();
        BuildEverything(h.Source);
        await h.ReplicateAsync();

        // When
        var again = await h.ReplicateAsync();

        // Then
        Assert.Equal(ReplicationMode.Incremental, again.Mode);
        Assert.Equal(0, again.FilesSent);
        Assert.Equal(0, again.BytesWritten);
        Assert.Equal(0, again.MetadataOnly);
        Assert.Equal(0, again.Deleted);
        TreeSnapshot.AssertSameTree(h.Source, h.Target());
    }

    internal static long Blocks(string path) => NativeQueries.Lstat(path)!.Value.Blocks;

    /// <summary>A tree with every kind of entry and attribute the engine copies.</summary>
    internal static void BuildEverything(string root)
    {
        string P(string relative) => Path.Combine(root, relative);

        // Regular files: empty, small, at and around the inline limit, multi-chunk, odd modes and owners.
        TreeBuilder.File(P("files/empty"), string.Empty);
        TreeBuilder.File(P("files/small.txt"), "hello, world\n");
        TreeBuilder.Random(P("files/inline-limit.bin"), 64 * 1024, 1);
        TreeBuilder.Random(P("files/just-large.bin"), (64 * 1024) + 1, 2);
        TreeBuilder.Random(P("files/chunks.bin"), (3 << 20) + 12345, 3);
        TreeBuilder.File(P("files/setuid"), "#!/bin/sh\n");
        TreeBuilder.Mode(P("files/setuid"), UnixFileMode.SetUser | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        TreeBuilder.File(P("files/no-access"), "secret");
        TreeBuilder.Mode(P("files/no-access"), UnixFileMode.None);
        TreeBuilder.File(P("files/owned"), "owned by someone else");
        TreeBuilder.Owner(P("files/owned"), 12345, 54321);
        TreeBuilder.Sparse(P("files/sparse"), 8L << 20, 1L << 20, 5L << 20);

        // Extended attributes, binary values included, and POSIX ACLs (raw xattrs) where setfacl exists.
        TreeBuilder.Xattr(P("files/small.txt"), "user.note", "plain");
        TreeBuilder.Xattr(P("files/small.txt"), "user.binary", [0, 1, 2, 255, 0]);
        TreeBuilder.Xattr(P("files/chunks.bin"), "user.big", new string('x', 2000));
        if (TreeBuilder.IsRoot)
        {
            TreeBuilder.Xattr(P("files/owned"), "trusted.origin", "root only");
        }

        // Directories: setgid, sticky, owned, restrictive, with xattrs and default ACLs.
        TreeBuilder.Dir(P("dirs/setgid/inner"));
        TreeBuilder.Mode(P("dirs/setgid"), UnixFileMode.SetGroup | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        TreeBuilder.Dir(P("dirs/sticky"));
        TreeBuilder.Mode(P("dirs/sticky"), UnixFileMode.StickyBit | (UnixFileMode)0x1FF);
        TreeBuilder.Dir(P("dirs/owned"));
        TreeBuilder.Owner(P("dirs/owned"), 2000, 3000);
        TreeBuilder.Dir(P("dirs/readonly"));
        TreeBuilder.File(P("dirs/readonly/inside"), "in a read-only directory");
        TreeBuilder.Mode(P("dirs/readonly"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        TreeBuilder.Xattr(P("dirs/owned"), "user.dir", "on a directory");
        TreeBuilder.Dir(P("dirs/empty"));

        // Symbolic links, verbatim: relative, absolute (never followed), dangling, to a directory.
        TreeBuilder.Symlink(P("links/relative"), "../files/small.txt");
        TreeBuilder.Symlink(P("links/absolute"), "/etc/passwd");
        TreeBuilder.Symlink(P("links/dangling"), "nowhere/at/all");
        TreeBuilder.Symlink(P("links/to-dir"), "../dirs");
        TreeBuilder.Owner(P("links/relative"), 4000, 5000);

        // Hard links: three names of one file in different directories.
        TreeBuilder.File(P("hard/one"), "shared content");
        TreeBuilder.HardLink(P("hard/one"), P("hard/sub/two"));
        TreeBuilder.HardLink(P("hard/one"), P("three"));

        // FIFOs, sockets, and device nodes (those need root).
        TreeBuilder.Node(P("nodes/fifo"), FileKind.Fifo, 0x1B6);
        TreeBuilder.Node(P("nodes/socket"), FileKind.Socket, 0x1ED);
        if (TreeBuilder.IsRoot)
        {
            TreeBuilder.Node(P("nodes/null"), FileKind.CharacterDevice, 0x1B6, 1, 3);
            TreeBuilder.Node(P("nodes/loop"), FileKind.BlockDevice, 0x1B0, 7, 200);
            TreeBuilder.Node(P("nodes/big-minor"), FileKind.CharacterDevice, 0x180, 300, 70000);
        }

        if (TreeBuilder.Run("setfacl", root, "-m", "u:1000:rwx,g:100:r", "files/small.txt") is not null)
        {
            TreeBuilder.Run("setfacl", root, "-d", "-m", "u:1000:rx", "dirs/owned");
            TreeBuilder.Run("setfacl", root, "-m", "u:1000:rwx", "dirs/owned");
        }

        // Times with nanoseconds, last (anything above changes them), deepest first.
        var seconds = 1_000_000_000L;
        foreach (var path in TreeBuilder.AllPaths(root).OrderByDescending(p => p.Length))
        {
            seconds += 1000;
            TreeBuilder.Times(path, seconds + 7, 123_456_789, seconds, 987_654_321);
        }

        TreeBuilder.Times(root, 1_500_000_000, 1, 1_500_000_000, 999_999_999);
    }
}
