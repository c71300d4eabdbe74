using System.Text;
using Sms.Files.Wire;
using Sms.Protocol;
using static Sms.Replication.Tests.Files.RawFileSource;

namespace Sms.Replication.Tests.Files;

public sealed class FileHostileTests
{
    [Theory]
    [InlineData("../escape", "'.' or '..'")]
    [InlineData("a/../../escape", "'.' or '..'")]
    [InlineData("/tmp/absolute", "absolute")]
    [InlineData("a//b", "empty component")]
    [InlineData("a/./b", "'.' or '..'")]
    [InlineData("a/", "empty component")]
    [InlineData("", "empty")]
    public async Task FileRecord_PathLeavingTheTree_IsRefusedWithInvalidName(string path, string why)
    {
        // Given
        await using var h = await FileHarness.StartAsync();
        await using var raw = await ConnectAsync(h.Pairing);

        // When
        await raw.SendAsync(FrameType.FileBatch, FileRecord(P(path), "evil"u8.ToArray()));
        var error = await raw.ReadErrorAsync();

        // Then
        Assert.Contains(SmsErrorCode.InvalidName.Value, error, StringComparison.Ordinal);
        Assert.Contains(why, error, StringComparison.Ordinal);
        AssertNothingOutside(h);
    }

    [Fact]
    public async Task FileRecord_PathWithNul_IsRefused()
    {
        // Given
        await using var h = await FileHarness.StartAsync();
        await using var raw = await ConnectAsync(h.Pairing);

        // When
        await raw.SendAsync(FrameType.FileBatch, FileRecord([(byte)'a', 0, (byte)'b'], "x"u8.ToArray()));
        var error = await raw.ReadErrorAsync();

        // Then
        Assert.Contains(SmsErrorCode.InvalidName.Value, error, StringComparison.Ordinal);
        Assert.Contains("NUL", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("file")]
    [InlineData("mkdir")]
    [InlineData("delete")]
    [InlineData("link")]
    [InlineData("symlink")]
    [InlineData("dirmeta")]
    public async Task Records_ThroughASymlinkPlantedOnTheTarget_AreRefusedAndNothingOutsideChanges(string kind)
    {
        // Given: a completed pass, then a symbolic link planted in the target tree, pointing outside the files root.
        await using var h = await FileHarness.StartAsync();
        TreeBuilder.File(h.Src("ok"), "ok");
        await h.ReplicateAsync();
        Directory.CreateDirectory(h.Outside);
        File.WriteAllText(Path.Combine(h.Outside, "victim"), "untouched");
        File.CreateSymbolicLink(h.Dst("evil"), h.Outside);
        var state = File.ReadAllText(Path.Combine(h.FilesRoot, ".sms", "t.files.json"));
        await using var raw = await ConnectAsync(h.Pairing, continueTree: state);

        // When: the source writes through the link.
        var (type, record) = kind switch
        {
            "file" => (FrameType.FileBatch, FileRecord(P("evil/victim"), "overwritten"u8.ToArray())),
            "mkdir" => (FrameType.FileDirs, PathRecord(RecordOp.MkDir, P("evil/newdir"))),
            "delete" => (FrameType.FileFinish, PathRecord(RecordOp.Delete, P("evil/victim"))),
            "link" => (FrameType.FileFinish, LinkRecord(P("stolen"), P("evil/victim"))),
            "symlink" => (FrameType.FileBatch, SymlinkRecord(P("evil/planted"), "/etc/shadow")),
            _ => (FrameType.FileFinish, DirMetaRecord(P("evil"))),
        };
        await raw.SendAsync(type, record);
        var error = await raw.ReadErrorAsync();

        // Then: refused, saying why, and the outside directory is as it was.
        Assert.Contains(SmsErrorCode.InvalidName.Value, error, StringComparison.Ordinal);
        Assert.Contains("symbolic link", error, StringComparison.Ordinal);
        Assert.Equal(["victim"], Directory.GetFileSystemEntries(h.Outside).Select(Path.GetFileName));
        Assert.Equal("untouched", File.ReadAllText(Path.Combine(h.Outside, "victim")));
        Assert.False(File.Exists(h.Dst("stolen")));
    }

    [Fact]
    public async Task Symlink_CreatedEarlierInTheSameSession_IsNeverFollowed()
    {
        // Given: the source creates a link to "/" and then writes "through" it.
        await using var h = await FileHarness.StartAsync();
        await using var raw = await ConnectAsync(h.Pairing);

        // When
        await raw.SendAsync(FrameType.FileBatch, SymlinkRecord(P("root"), "/"));
        await raw.SendAsync(FrameType.FileFinish, DirMetaRecord(P("root/etc")));
        var error = await raw.ReadErrorAsync();

        // Then
        Assert.Contains(SmsErrorCode.InvalidName.Value, error, StringComparison.Ordinal);
        Assert.Equal("/", new FileInfo(h.Dst("root")).LinkTarget);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    public async Task Hello_TreeNameOutsideTheFilesRoot_IsRefused(string tree)
    {
        // Given
        await using var h = await FileHarness.StartAsync();

        // When
        await using var raw = await ConnectAsync(h.Pairing, tree, expectAck: false);
        var error = await raw.ReadErrorAsync();

        // Then
        Assert.Contains(SmsErrorCode.InvalidName.Value, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(h.Directory.Combine("x")));
    }

    [Fact]
    public async Task Hello_ReceiverWithoutFilesRoot_RefusesFileSessions()
    {
        // Given
        await using var h = await FileHarness.StartAsync(withFilesRoot: false);

        // When
        await using var raw = await ConnectAsync(h.Pairing, expectAck: false);
        var error = await raw.ReadErrorAsync();

        // Then
        Assert.Contains(SmsErrorCode.InvalidState.Value, error, StringComparison.Ordinal);
        Assert.Contains("files root", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hello_UnknownKind_IsAProtocolError()
    {
        // Given
        await using var h = await FileHarness.StartAsync();
        await using var raw = await Integration.RawSource.ConnectAsync(h.Pairing);

        // When
        var hello = Encoding.UTF8.GetString(Hello(h.Pairing.Token, "t")).Replace("\"files\"", "\"tapes\"", StringComparison.Ordinal);
        await raw.Connection.SendAsync(FrameType.Hello, 0, 0, Encoding.UTF8.GetBytes(hello));
        var error = await raw.ReadErrorAsync();

        // Then
        Assert.Contains(SmsErrorCode.ProtocolViolation.Value, error, StringComparison.Ordinal);
        Assert.Contains("tapes", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hello_WrongToken_IsRefusedAndNothingIsCreated()
    {
        // Given
        await using var h = await FileHarness.StartAsync();
        TreeBuilder.File(h.Src("a"), "a");

        // When
        var error = await Assert.ThrowsAsync<ReplicationProtocolException>(() => h.ReplicateAsync(pairing: h.Pairing with { Token = "wrong" }));

        // Then
        Assert.Equal(SmsErrorCode.InvalidToken, error.ErrorCode);
        Assert.False(Directory.Exists(h.Target()));
    }

    [Fact]
    public async Task FileRecord_WithWrongHash_IsRefusedAndNotPlaced()
    {
        // Given
        await using var h = await FileHarness.StartAsync();
        await using var raw = await ConnectAsync(h.Pairing);

        // When
        await raw.SendAsync(FrameType.FileBatch, FileRecord(P("file"), "content"u8.ToArray(), wrongHash: true));
        var error = await raw.ReadErrorAsync();

        // Then
        Assert.Contains(SmsErrorCode.HashMismatch.Value, error, StringComparison.Ordinal);
        Assert.False(File.Exists(h.Dst("file")));
        Assert.Empty(Directory.GetFileSystemEntries(h.Target()));
    }

    [Fact]
    public async Task Record_InTheWrongFrame_IsAProtocolError()
    {
        // Given
        await using var h = await FileHarness.StartAsync();
        await using var raw = await ConnectAsync(h.Pairing);

        // When: a deletion inside a batch (deletions must wait for everything before them).
        await raw.SendAsync(FrameType.FileBatch, PathRecord(RecordOp.Delete, P("x")));
        var error = await raw.ReadErrorAsync();

        // Then
        Assert.Contains(SmsErrorCode.ProtocolViolation.Value, error, StringComparison.Ordinal);
        Assert.Contains("Delete", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chunk_ForAFileNeverBegun_IsAProtocolError()
    {
        // Given
        await using var h = await FileHarness.StartAsync();
        await using var raw = await ConnectAsync(h.Pairing);
        var payload = new byte[8 + 1024];
        payload[7] = 42;
        payload[100] = 1;

        // When
        raw.Connection.Write(FrameType.FileChunk, FrameFlags.None, 0, 1024, Sms.Blocks.BlockHash.Compute(payload.AsSpan(8)), payload);
        await raw.Connection.FlushAsync();
        var error = await raw.ReadErrorAsync();

        // Then
        Assert.Contains(SmsErrorCode.ProtocolViolation.Value, error, StringComparison.Ordinal);
        Assert.Contains("not open", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_Truncated_IsAProtocolErrorNotACrash()
    {
        // Given
        await using var h = await FileHarness.StartAsync();
        await using var raw = await ConnectAsync(h.Pairing);
        var record = FileRecord(P("file"), new byte[100]);

        // When
        await raw.SendAsync(FrameType.FileBatch, record[..^10]);
        var error = await raw.ReadErrorAsync();

        // Then: the session ends with a reason, and the receiver still serves others.
        Assert.Contains(SmsErrorCode.ProtocolViolation.Value, error, StringComparison.Ordinal);
        TreeBuilder.File(h.Src("after"), "still serving");
        await h.ReplicateAsync();
        Assert.True(File.Exists(h.Dst("after")));
    }

    private static void AssertNothingOutside(FileHarness h)
    {
        Assert.False(File.Exists(h.Directory.Combine("escape")));
        Assert.False(File.Exists(Path.Combine(h.FilesRoot, "escape")));
        Assert.False(File.Exists("/tmp/absolute"));
    }
}
