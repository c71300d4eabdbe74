using System.Globalization;
using System.Text;
using Sms.Fixups;

namespace Sms.Agent.Hosting.Tests.Fixups;

/// <summary>
/// The journal replay against e2fsprogs' own: the same journal is replayed by <c>debugfs journal_run</c> on a copy
/// of the file system at offset 0 (where debugfs can do it) and by <see cref="Ext4ImageFileSystem"/> inside the disk
/// image; the blocks the journal logged must come out the same, and both file systems pass e2fsck.
/// </summary>
public sealed class Ext4JournalReplayTests : IDisposable
{
    private const long Offset = 1L << 20;
    private const int BlockSize = 4096;
    private readonly string _dir = Directory.CreateTempSubdirectory("sms-journal-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("jo -c", "")]
    [InlineData("jo -c -v 2", "")]
    [InlineData("jo", "")]
    [InlineData("jo", "^64bit,^metadata_csum")]
    public async Task ReadTextAsync_CommittedTransactionsInTheJournal_AreReplayedFirstAsE2fsprogsWould(string open, string features)
    {
        // Given: two transactions: the first logs new contents of hostname's and motd's blocks, the second revokes motd's.
        var image = Build(features);
        var hostnameBlock = Bmap(image, "/etc/hostname");
        var motdBlock = Bmap(image, "/etc/motd");
        var logged = Path.Combine(_dir, "logged");
        await File.WriteAllBytesAsync(logged, [.. Block("web02\n"), .. Block("revoked\n")]);
        FixupTools.DebugfsWrite(image, Offset, open, $"jw -b {hostnameBlock},{motdBlock} {logged}", $"jw -r {motdBlock}", "jc");
        Assert.Contains("needs_recovery", Header(image), StringComparison.Ordinal);
        var oracle = ExtractPartition(image);
        FixupTools.Run("debugfs", null, "-w", "-R", "journal_run", oracle);
        var fs = new Ext4ImageFileSystem(image, Offset);

        // When
        var hostname = await fs.ReadTextAsync("/etc/hostname");
        var motd = await fs.ReadTextAsync("/etc/motd");

        // Then
        Assert.Equal("web02\n", hostname);
        Assert.Equal("Welcome\n", motd);
        Assert.Equal(2, fs.ReplayedTransactions);
        Assert.Equal(FsBlock(oracle, 0, hostnameBlock), FsBlock(image, Offset, hostnameBlock));
        Assert.Equal(FsBlock(oracle, 0, motdBlock), FsBlock(image, Offset, motdBlock));
        var header = Header(image);
        Assert.DoesNotContain("needs_recovery", header, StringComparison.Ordinal);
        Assert.Matches(@"Journal start:\s+0\n", header);
        var (exit, output) = FixupTools.Check(image, Offset);
        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task ReadTextAsync_LastTransactionWithoutItsCommit_IsNotReplayed()
    {
        // Given: a complete transaction, then one whose commit block is lost (a copy taken mid-commit).
        var image = Build(string.Empty);
        var hostnameBlock = Bmap(image, "/etc/hostname");
        var first = Path.Combine(_dir, "first");
        var second = Path.Combine(_dir, "second");
        await File.WriteAllBytesAsync(first, Block("web02\n"));
        await File.WriteAllBytesAsync(second, Block("web03\n"));
        FixupTools.DebugfsWrite(image, Offset, "jo -c", $"jw -b {hostnameBlock} {first}", $"jw -b {hostnameBlock} {second}", "jc");
        var commit = Encoding.UTF8.GetString(FixupTools.Debugfs(image, Offset, "logdump"))
            .Split('\n').Last(l => l.Contains("type 2 (commit block)", StringComparison.Ordinal));
        var journalBlock = long.Parse(commit[(commit.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        var physical = long.Parse(Encoding.ASCII.GetString(FixupTools.Debugfs(image, Offset, $"bmap <8> {journalBlock}")).Trim(), CultureInfo.InvariantCulture);
        await using (var disk = new FileStream(image, FileMode.Open, FileAccess.Write))
        {
            disk.Position = Offset + (physical * BlockSize);
            await disk.WriteAsync(new byte[BlockSize]);
        }

        var fs = new Ext4ImageFileSystem(image, Offset);

        // When
        var hostname = await fs.ReadTextAsync("/etc/hostname");

        // Then
        Assert.Equal("web02\n", hostname);
        Assert.Equal(1, fs.ReplayedTransactions);
        var (exit, output) = FixupTools.Check(image, Offset);
        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task WriteTextAsync_AfterTheReplay_SurvivesAnotherRecovery()
    {
        // Given
        var image = Build(string.Empty);
        var hostnameBlock = Bmap(image, "/etc/hostname");
        var logged = Path.Combine(_dir, "logged");
        await File.WriteAllBytesAsync(logged, Block("web02\n"));
        FixupTools.DebugfsWrite(image, Offset, "jo -c", $"jw -b {hostnameBlock} {logged}", "jc");

        // When
        await new Ext4ImageFileSystem(image, Offset).WriteTextAsync("/etc/hostname", "migrated\n");

        // Then: e2fsprogs finds nothing to replay over the change.
        var copy = ExtractPartition(image);
        FixupTools.Run("e2fsck", null, "-fy", copy);
        Assert.Equal("migrated\n", FixupTools.CatText(copy, 0, "/etc/hostname"));
        Assert.Equal("migrated\n", FixupTools.CatText(image, Offset, "/etc/hostname"));
    }

    private string Build(string features)
    {
        var tree = Path.Combine(_dir, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "etc"));
        File.WriteAllText(Path.Combine(tree, "etc", "hostname"), "web01\n");
        File.WriteAllText(Path.Combine(tree, "etc", "motd"), "Welcome\n");
        var image = FixupTools.CreateImage(Path.Combine(_dir, $"disk-{Guid.NewGuid():N}.img"), 40 << 20);
        FixupTools.Partition(image, "label: gpt\n,32M,L\n");
        var options = new List<string> { "-b", BlockSize.ToString(CultureInfo.InvariantCulture) };
        if (features.Length > 0)
        {
            options.AddRange(["-O", features]);
        }

        FixupTools.MakeExt4(image, Offset, 32 << 20, tree, "2f1e0d9c-8b7a-4695-8485-7a6b5c4d3e2f", options: options);
        return image;
    }

    private static long Bmap(string image, string path)
        => long.Parse(Encoding.ASCII.GetString(FixupTools.Debugfs(image, Offset, $"bmap {path} 0")).Trim(), CultureInfo.InvariantCulture);

    private static byte[] Block(string text)
    {
        var block = new byte[BlockSize];
        Encoding.ASCII.GetBytes(text).CopyTo(block, 0);
        return block;
    }

    private static string Header(string image) => Encoding.UTF8.GetString(FixupTools.Run("dumpe2fs", null, "-h", FixupTools.Spec(image, Offset)));

    private static byte[] FsBlock(string image, long offset, long block)
    {
        using var file = File.OpenRead(image);
        file.Position = offset + (block * BlockSize);
        var data = new byte[BlockSize];
        file.ReadExactly(data);
        return data;
    }

    private string ExtractPartition(string image)
    {
        var copy = Path.Combine(_dir, $"partition-{Guid.NewGuid():N}.img");
        using var input = File.OpenRead(image);
        using var output = File.Create(copy);
        input.Position = Offset;
        var buffer = new byte[1 << 20];
        for (long left = 32 << 20; left > 0;)
        {
            var read = input.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            output.Write(buffer, 0, read);
            left -= read;
        }

        return copy;
    }
}
