using System.Text.Json;

namespace Sms.Cli.Tests;

/// <summary>The `sms` console contract that scripts and benchmarks rely on (PRODUCT.md), tested on the real program.</summary>
public sealed class ConsoleContractTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task ReceiveOnce_And_ReplicateJson_FollowTheContract()
    {
        // Given
        TestFiles.CreateImage(_files["disk.img"], 16L << 20, seed: 1);
        using var receiver = SmsProcess.Start("receive", "--listen", "127.0.0.1:0", "--volumes", _files["vols"], "--pairing-file", _files["pair.json"], "--once");
        var pairing = await TestFiles.WaitForPairingAsync(_files["pair.json"]);

        // When
        var (code, stdout, stderr) = await SmsProcess.RunAsync("replicate", "--pairing-file", _files["pair.json"], "--source", _files["disk.img"], "--volume", "disk0", "--state-dir", _files["state"], "--verify", "--json");
        var receiverCode = await receiver.WaitAsync(TimeSpan.FromSeconds(30));

        // Then: the pairing file, the JSON summary as the last stdout line, exit codes, and the volume.
        Assert.Matches("^127\\.0\\.0\\.1:[1-9][0-9]*$", pairing.GetProperty("endpoint").GetString());
        Assert.Matches("^[0-9a-f]{64}$", pairing.GetProperty("fingerprint").GetString());
        Assert.True(pairing.GetProperty("token").GetString()!.Length >= 32);
        Assert.True(code == 0, stderr);
        var summary = TestFiles.LastJsonLine(stdout);
        Assert.Equal("full", summary.GetProperty("mode").GetString());
        Assert.Equal(8L << 20, summary.GetProperty("bytesScanned").GetInt64());
        Assert.True(summary.GetProperty("bytesSent").GetInt64() > 8L << 20);
        Assert.Equal(8L << 20, summary.GetProperty("bytesWritten").GetInt64());
        Assert.True(summary.GetProperty("durationSeconds").GetDouble() > 0);
        Assert.True(summary.GetProperty("verified").GetBoolean());
        Assert.Equal(0, receiverCode);
        Assert.True(TestFiles.SameBytes(_files["disk.img"], Path.Combine(_files["vols"], "disk0.img")));
    }

    [Fact]
    public async Task Replicate_SecondRunWithoutVerify_IsIncrementalAndVerifiedIsNull()
    {
        // Given
        TestFiles.CreateImage(_files["disk.img"], 8L << 20, seed: 2);
        using var receiver = SmsProcess.Start("receive", "--listen", "127.0.0.1:0", "--volumes", _files["vols"], "--pairing-file", _files["pair.json"]);
        await TestFiles.WaitForPairingAsync(_files["pair.json"]);
        string[] replicate = ["replicate", "--pairing-file", _files["pair.json"], "--source", _files["disk.img"], "--volume", "disk0", "--state-dir", _files["state"], "--json"];
        Assert.Equal(0, (await SmsProcess.RunAsync(replicate)).ExitCode);

        // When
        var (code, stdout, _) = await SmsProcess.RunAsync(replicate);

        // Then
        Assert.Equal(0, code);
        var summary = TestFiles.LastJsonLine(stdout);
        Assert.Equal("incremental", summary.GetProperty("mode").GetString());
        Assert.Equal(0, summary.GetProperty("bytesWritten").GetInt64());
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("verified").ValueKind);
    }

    [Fact]
    public async Task Replicate_WrongToken_ExitsNonZeroWithOneLineReason()
    {
        // Given
        TestFiles.CreateImage(_files["disk.img"], 4L << 20, seed: 3);
        using var receiver = SmsProcess.Start("receive", "--listen", "127.0.0.1:0", "--volumes", _files["vols"], "--pairing-file", _files["pair.json"]);
        var pairing = await TestFiles.WaitForPairingAsync(_files["pair.json"]);
        await File.WriteAllTextAsync(_files["bad.json"], JsonSerializer.Serialize(new
        {
            endpoint = pairing.GetProperty("endpoint").GetString(),
            fingerprint = pairing.GetProperty("fingerprint").GetString(),
            token = "guessed",
        }));

        // When
        var (code, stdout, stderr) = await SmsProcess.RunAsync("replicate", "--pairing-file", _files["bad.json"], "--source", _files["disk.img"], "--volume", "disk0", "--json");

        // Then
        Assert.Equal(1, code);
        Assert.Equal(string.Empty, stdout.Trim());
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("sms:", StringComparison.Ordinal));
        Assert.StartsWith("sms: SDK.0002:", line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_files["vols"], "disk0.img")));
    }

    [Theory]
    [InlineData("replicate", "--source", "x")]
    [InlineData("replicate", "--pairing-file", "p", "--source", "s", "--volume", "v", "--compression", "gzip")]
    [InlineData("replicate", "--bogus")]
    [InlineData("nonsense")]
    public async Task WrongCommandLine_ExitsWithCode2AndSaysWhy(params string[] arguments)
    {
        var (code, _, stderr) = await SmsProcess.RunAsync(arguments);
        Assert.Equal(2, code);
        Assert.StartsWith("sms: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replicate_MissingSource_ExitsWithCode1AndTheErrorCode()
    {
        using var receiver = SmsProcess.Start("receive", "--listen", "127.0.0.1:0", "--volumes", _files["vols"], "--pairing-file", _files["pair.json"]);
        await TestFiles.WaitForPairingAsync(_files["pair.json"]);
        var (code, _, stderr) = await SmsProcess.RunAsync("replicate", "--pairing-file", _files["pair.json"], "--source", _files["nope.img"], "--volume", "disk0");
        Assert.Equal(1, code);
        Assert.Contains("SDK.0007", stderr, StringComparison.Ordinal);
        Assert.Contains("nope.img", stderr, StringComparison.Ordinal);
    }
}
