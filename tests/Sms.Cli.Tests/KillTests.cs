namespace Sms.Cli.Tests;

/// <summary>kill -9 of either process in the middle of a pass: the next run resumes, and target = source.</summary>
public sealed class KillTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("source")]
    [InlineData("receiver")]
    public async Task Replicate_ProcessKilledMidPass_NextRunResumesAndTargetEqualsSource(string victim)
    {
        // Given: 48 MiB of data at a 100 Mbit/s rate limit (about 4 s), so the kill lands mid-pass, once the
        // source's manifest shows that some blocks were acknowledged.
        TestFiles.CreateImage(_files["disk.img"], 96L << 20, seed: 4);
        var receiver = SmsProcess.Start("receive", "--listen", "127.0.0.1:0", "--volumes", _files["vols"], "--pairing-file", _files["pair.json"]);
        await TestFiles.WaitForPairingAsync(_files["pair.json"]);
        string[] replicate = ["replicate", "--pairing-file", _files["pair.json"], "--source", _files["disk.img"], "--volume", "disk0", "--state-dir", _files["state"], "--compression", "none", "--json"];

        // When
        using (var source = SmsProcess.Start([.. replicate, "--rate-limit", "100"]))
        {
            await WaitForAcknowledgedBlocksAsync(Path.Combine(_files["state"], "disk0.manifest"), atLeast: 8);
            (victim == "source" ? source : receiver).Kill9();
            await source.WaitAsync(TimeSpan.FromSeconds(30));
        }

        if (victim == "receiver")
        {
            receiver.Dispose();
            File.Delete(_files["pair.json"]);
            receiver = SmsProcess.Start("receive", "--listen", "127.0.0.1:0", "--volumes", _files["vols"], "--pairing-file", _files["pair.json"]);
            await TestFiles.WaitForPairingAsync(_files["pair.json"]);
        }

        var (code, stdout, stderr) = await SmsProcess.RunAsync([.. replicate, "--verify"]);
        receiver.Dispose();

        // Then: an incremental resume that sends less than the whole disk's data.
        Assert.True(code == 0, stderr);
        var summary = TestFiles.LastJsonLine(stdout);
        Assert.Equal("incremental", summary.GetProperty("mode").GetString());
        Assert.InRange(summary.GetProperty("bytesWritten").GetInt64(), 1, (48L << 20) - (4L << 20));
        Assert.True(summary.GetProperty("verified").GetBoolean());
        Assert.True(TestFiles.SameBytes(_files["disk.img"], Path.Combine(_files["vols"], "disk0.img")));
    }

    private static async Task WaitForAcknowledgedBlocksAsync(string manifest, int atLeast)
    {
        for (var i = 0; i < 600; i++)
        {
            if (File.Exists(manifest))
            {
                var bytes = await File.ReadAllBytesAsync(manifest);
                var acknowledged = 0;
                for (var at = 64; at + 16 <= bytes.Length; at += 16)
                {
                    var entry = bytes.AsSpan(at, 16);
                    if (entry.ContainsAnyExcept((byte)0) && entry.ContainsAnyExcept((byte)0xFF))
                    {
                        acknowledged++;
                    }
                }

                if (acknowledged >= atLeast)
                {
                    return;
                }
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"{manifest} never showed {atLeast} acknowledged blocks");
    }
}
