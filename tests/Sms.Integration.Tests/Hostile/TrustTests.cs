using System.Diagnostics;
using System.Text.RegularExpressions;
using Sms.Integration.Tests.Support;
using Xunit.Abstractions;

namespace Sms.Integration.Tests.Hostile;

/// <summary>Who may talk to the receiver: the pinned certificate, and the bearer token under brute force.</summary>
public sealed partial class TrustTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Replicate_PairingWithAnotherCertificatesPin_IsRefusedBeforeAnyDataAndNothingIsWritten()
    {
        // Given: a pairing file pinning another certificate (say, a man in the middle's).
        Images.CreateIncompressible(_dir["disk.img"], 4L << 20, seed: 51);
        using var receiver = SmsProcess.Start("receive", "--listen", "127.0.0.1:0", "--volumes", _dir["vols"], "--pairing-file", _dir["pair.json"]);
        var pairing = await Pairing.WaitAsync(_dir["pair.json"], receiver);
        var wrong = await Pairing.WriteAsync(_dir["wrong.json"], pairing with { Fingerprint = new string('0', 64) });

        // When
        var run = await SmsProcess.RunAsync("replicate", "--pairing-file", wrong, "--source", _dir["disk.img"], "--volume", "disk0", "--json");

        // Then
        output.WriteLine(run.Reason);
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("sms: SMS.0304:", run.Reason, StringComparison.Ordinal);
        Assert.Contains(pairing.Fingerprint, run.Reason, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir["vols"], "disk0.img")));
        Assert.False(receiver.HasExited);
    }

    [Fact]
    public async Task Receiver_ThousandWrongTokens_CannotBeTriedQuicklyAndTheRightTokenGetsInAfterwards()
    {
        // Given: the real receiver with its default budget of wrong tokens.
        Images.CreateIncompressible(_dir["disk.img"], 4L << 20, seed: 52);
        using var receiver = SmsProcess.Start("receive", "--listen", "127.0.0.1:0", "--volumes", _dir["vols"], "--pairing-file", _dir["pair.json"]);
        var pairing = await Pairing.WaitAsync(_dir["pair.json"], receiver);
        var defaults = new Sms.Receiver.ReceiverOptions();

        // When: 1,000 guesses, 8 connections at a time.
        var clock = Stopwatch.StartNew();
        var answers = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            await using var client = await RawClient.ConnectAsync(pairing);
            answers.Add(await client.HelloAsync(RawClient.Hello($"guess-{i:D4}-{Guid.NewGuid():N}", "disk0", 4L << 20)));
        });
        var elapsed = clock.Elapsed;
        var rightTooSoon = await TryRightTokenAsync(pairing);
        var wait = TimeSpan.FromSeconds(int.Parse(RetryAfter().Match(rightTooSoon).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        await Task.Delay(wait);
        var run = await SmsProcess.RunAsync("replicate", "--pairing-file", _dir["pair.json"], "--source", _dir["disk.img"], "--volume", "disk0", "--all-blocks", "--json");

        // Then: only the budget (plus what refilled meanwhile) was checked; the rest were refused unchecked.
        var checkedGuesses = answers.Count(a => a.Contains(SmsErrorCode.InvalidToken.Value, StringComparison.Ordinal));
        var throttled = answers.Count(a => a.Contains(SmsErrorCode.TooManyTokenAttempts.Value, StringComparison.Ordinal));
        var budget = defaults.MaxFailedTokenAttempts * (1 + (elapsed / defaults.FailedTokenWindow));
        output.WriteLine($"1,000 wrong tokens in {elapsed.TotalSeconds:F1} s: {checkedGuesses} checked (budget {defaults.MaxFailedTokenAttempts} per {defaults.FailedTokenWindow.TotalSeconds:F0} s), {throttled} refused unchecked; the right token right after: {rightTooSoon}; after {wait.TotalSeconds:F0} s: exit {run.ExitCode}");
        Assert.Equal(1000, checkedGuesses + throttled);
        Assert.InRange(checkedGuesses, 1, (int)Math.Ceiling(budget));
        Assert.Contains(SmsErrorCode.TooManyTokenAttempts.Value, rightTooSoon, StringComparison.Ordinal);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(Images.SameBytes(_dir["disk.img"], Path.Combine(_dir["vols"], "disk0.img")));
    }

    private static async Task<string> TryRightTokenAsync(Sms.Replication.ReceiverPairing pairing)
    {
        await using var client = await RawClient.ConnectAsync(pairing);
        return await client.HelloAsync(RawClient.Hello(pairing.Token, "probe", 1 << 20));
    }

    [GeneratedRegex("try again in ([0-9]+) s")]
    private static partial Regex RetryAfter();
}
