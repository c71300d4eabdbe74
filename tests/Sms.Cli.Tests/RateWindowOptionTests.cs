namespace Sms.Cli.Tests;

/// <summary><c>--rate-window HH:MM[:SS]-HH:MM[:SS]=MBPS</c> of <c>sms replicate</c> and <c>sms replicate-files</c>.</summary>
public sealed class RateWindowOptionTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("replicate", "22:00-06:00")]
    [InlineData("replicate", "25:00-06:00=10")]
    [InlineData("replicate", "08:00-08:00=10")]
    [InlineData("replicate-files", "22:00-06:00=x")]
    public async Task Replicate_MalformedRateWindow_ExitsWith2AndSaysWhichWindow(string command, string window)
    {
        // Given
        File.WriteAllText(_files["pair.json"], """{"endpoint":"127.0.0.1:9","fingerprint":"00","token":"t"}""");
        string[] target = command == "replicate" ? ["--volume", "v"] : ["--dest", "tree"];

        // When
        var (code, _, stderr) = await SmsProcess.RunAsync([command, "--pairing-file", _files["pair.json"], "--source", "/tmp", .. target, "--rate-window", window]);

        // Then
        Assert.Equal(2, code);
        Assert.StartsWith("sms: --rate-window:", stderr, StringComparison.Ordinal);
        Assert.Contains($"'{window}' is not a rate window", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replicate_OverlappingRateWindows_ExitsWith2()
    {
        // Given
        File.WriteAllText(_files["pair.json"], """{"endpoint":"127.0.0.1:9","fingerprint":"00","token":"t"}""");

        // When
        var (code, _, stderr) = await SmsProcess.RunAsync("replicate", "--pairing-file", _files["pair.json"], "--source", "/tmp", "--volume", "v", "--rate-window", "22:00-06:00=10", "--rate-window", "05:00-07:00=20");

        // Then
        Assert.Equal(2, code);
        Assert.Contains("overlap", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplicateFiles_RateWindowsAndRateLimit_AreAcceptedAndThePassCompletes()
    {
        // Given
        Directory.CreateDirectory(_files["src"]);
        File.WriteAllText(Path.Combine(_files["src"], "a.txt"), "a");
        using var receiver = SmsProcess.Start("receive", "--listen", "127.0.0.1:0", "--volumes", _files["vols"], "--files-root", _files["files"], "--pairing-file", _files["pair.json"]);
        await TestFiles.WaitForPairingAsync(_files["pair.json"]);

        // When
        var (code, _, stderr) = await SmsProcess.RunAsync("replicate-files", "--pairing-file", _files["pair.json"], "--source", _files["src"], "--dest", "tree", "--rate-limit", "100", "--rate-window", "22:00-06:00=500", "--rate-window", "06:00:00-06:30:30=0");

        // Then
        Assert.True(code == 0, stderr);
        Assert.Equal("a", File.ReadAllText(Path.Combine(_files["files"], "tree", "a.txt")));
    }
}
