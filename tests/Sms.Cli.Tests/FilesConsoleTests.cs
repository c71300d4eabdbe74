using System.Security.Cryptography;

namespace Sms.Cli.Tests;

/// <summary><c>sms replicate-files</c> as PRODUCT.md specifies it, on the real program.</summary>
public sealed class FilesConsoleTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task ReplicateFiles_FullThenIncremental_PrintsTheJsonContract()
    {
        // Given
        var source = _files["src"];
        for (var i = 0; i < 40; i++)
        {
            Write(Path.Combine(source, $"d{i % 4}", $"f{i}.txt"), RandomNumberGenerator.GetBytes(1000 + i));
        }

        Write(Path.Combine(source, "big.bin"), RandomNumberGenerator.GetBytes(3 << 20));
        File.CreateSymbolicLink(Path.Combine(source, "link"), "big.bin");
        var receiver = await StartReceiverAsync();
        string[] replicate = ["replicate-files", "--pairing-file", _files["pair.json"], "--source", source, "--dest", "tree", "--state-dir", _files["state"], "--json"];

        // When
        var (fullCode, fullOut, fullErr) = await SmsProcess.RunAsync([.. replicate, "--verify"]);
        File.WriteAllText(Path.Combine(source, "d1", "f1.txt"), "changed");
        File.Delete(Path.Combine(source, "d2", "f2.txt"));
        var (incCode, incOut, incErr) = await SmsProcess.RunAsync(replicate);
        receiver.Dispose();

        // Then
        Assert.True(fullCode == 0, fullErr);
        var full = TestFiles.LastJsonLine(fullOut);
        Assert.Equal("full", full.GetProperty("mode").GetString());
        Assert.True(full.GetProperty("verified").GetBoolean());
        Assert.Equal((40 * 1000) + 780 + (3 << 20), full.GetProperty("bytesScanned").GetInt64());
        Assert.True(full.GetProperty("bytesSent").GetInt64() > 3 << 20);
        Assert.Equal(full.GetProperty("bytesScanned").GetInt64(), full.GetProperty("bytesWritten").GetInt64());
        Assert.True(full.GetProperty("durationSeconds").GetDouble() > 0);
        Assert.Equal(41, full.GetProperty("filesSent").GetInt64());
        Assert.Equal(0, full.GetProperty("inconsistent").GetArrayLength());
        Assert.True(incCode == 0, incErr);
        var inc = TestFiles.LastJsonLine(incOut);
        Assert.Equal("incremental", inc.GetProperty("mode").GetString());
        Assert.Equal(1, inc.GetProperty("filesSent").GetInt64());
        Assert.Equal(1, inc.GetProperty("deleted").GetInt64());
        Assert.Equal(7, inc.GetProperty("bytesWritten").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, inc.GetProperty("verified").ValueKind);
        Assert.Equal("changed", File.ReadAllText(Path.Combine(_files["files"], "tree", "d1", "f1.txt")));
        Assert.False(File.Exists(Path.Combine(_files["files"], "tree", "d2", "f2.txt")));
        Assert.Equal("big.bin", new FileInfo(Path.Combine(_files["files"], "tree", "link")).LinkTarget);
    }

    [Fact]
    public async Task ReplicateFiles_ExcludePatterns_AreHonoured()
    {
        // Given
        var source = _files["src"];
        Write(Path.Combine(source, "keep.txt"), "k"u8.ToArray());
        Write(Path.Combine(source, "skip.log"), "s"u8.ToArray());
        Write(Path.Combine(source, "cache", "blob"), "c"u8.ToArray());
        var receiver = await StartReceiverAsync();

        // When
        var (code, _, stderr) = await SmsProcess.RunAsync("replicate-files", "--pairing-file", _files["pair.json"], "--source", source, "--dest", "tree", "--exclude", "*.log", "--exclude", "/cache/*");
        receiver.Dispose();

        // Then
        Assert.True(code == 0, stderr);
        var tree = Path.Combine(_files["files"], "tree");
        Assert.True(File.Exists(Path.Combine(tree, "keep.txt")));
        Assert.False(File.Exists(Path.Combine(tree, "skip.log")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(tree, "cache")));
        Assert.Contains("full file pass", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--source", "x")]
    [InlineData("--dest", "tree", "--exclude", "[abc")]
    [InlineData("--dest", "../escape", "--source", "/tmp")]
    [InlineData("--dest", "tree", "--source", "/tmp", "--bogus")]
    public async Task ReplicateFiles_WrongCommandLine_ExitsWith2(params string[] arguments)
    {
        // Given
        File.WriteAllText(_files["pair.json"], """{"endpoint":"127.0.0.1:9","fingerprint":"00","token":"t"}""");

        // When
        var (code, _, stderr) = await SmsProcess.RunAsync(["replicate-files", "--pairing-file", _files["pair.json"], .. arguments]);

        // Then
        Assert.Equal(2, code);
        Assert.StartsWith("sms: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplicateFiles_ReceiverWithoutFilesRoot_FailsWithTheReason()
    {
        // Given
        Write(Path.Combine(_files["src"], "a"), "a"u8.ToArray());
        using var receiver = SmsProcess.Start("receive", "--listen", "127.0.0.1:0", "--volumes", _files["vols"], "--pairing-file", _files["pair.json"]);
        await TestFiles.WaitForPairingAsync(_files["pair.json"]);

        // When
        var (code, _, stderr) = await SmsProcess.RunAsync("replicate-files", "--pairing-file", _files["pair.json"], "--source", _files["src"], "--dest", "tree");

        // Then
        Assert.Equal(1, code);
        Assert.Contains("SDK.0011", stderr, StringComparison.Ordinal);
        Assert.Contains("files root", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplicateFiles_SourceKilledMidPass_NextRunResumesAndVerifies()
    {
        // Given: 160 files of 2 MiB (320 MiB), so the kill lands mid-pass once some files are acknowledged.
        var source = _files["src"];
        for (var i = 0; i < 160; i++)
        {
            Write(Path.Combine(source, $"d{i % 8}", $"f{i}.bin"), RandomNumberGenerator.GetBytes(2 << 20));
        }

        var receiver = await StartReceiverAsync();
        string[] replicate = ["replicate-files", "--pairing-file", _files["pair.json"], "--source", source, "--dest", "tree", "--state-dir", _files["state"], "--json"];

        // When: kill -9 as soon as the journal shows acknowledged files.
        using (var first = SmsProcess.Start(replicate))
        {
            var journal = Path.Combine(_files["state"], "tree.files.journal");
            for (var i = 0; i < 3000 && !(File.Exists(journal) && new FileInfo(journal).Length > 2000); i++)
            {
                await Task.Delay(5);
            }

            first.Kill9();
            await first.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(File.Exists(journal), "the pass finished before the kill: nothing to resume");
        }

        var (code, stdout, stderr) = await SmsProcess.RunAsync([.. replicate, "--verify"]);
        receiver.Dispose();

        // Then: an incremental resume that writes less than everything, verified by both sides.
        Assert.True(code == 0, stderr);
        var summary = TestFiles.LastJsonLine(stdout);
        Assert.Equal("incremental", summary.GetProperty("mode").GetString());
        Assert.InRange(summary.GetProperty("bytesWritten").GetInt64(), 0, (160L << 21) - (10L << 21));
        Assert.True(summary.GetProperty("verified").GetBoolean());
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            Assert.True(TestFiles.SameBytes(file, Path.Combine(_files["files"], "tree", Path.GetRelativePath(source, file))), file);
        }
    }

    private async Task<SmsProcess> StartReceiverAsync()
    {
        var receiver = SmsProcess.Start("receive", "--listen", "127.0.0.1:0", "--volumes", _files["vols"], "--files-root", _files["files"], "--pairing-file", _files["pair.json"]);
        await TestFiles.WaitForPairingAsync(_files["pair.json"]);
        return receiver;
    }

    private static void Write(string path, byte[] data)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, data);
    }
}
