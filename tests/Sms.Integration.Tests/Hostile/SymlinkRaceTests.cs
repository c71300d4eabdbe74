using System.Security.Cryptography;
using Sms.Integration.Tests.Support;
using Xunit.Abstractions;

namespace Sms.Integration.Tests.Hostile;

/// <summary>
/// A symlink swapped in on the target while a file-level session writes there (a local attacker on the target, or a
/// confused admin): the receiver must not follow it out of the files root, and the next pass must repair the tree.
/// </summary>
public sealed class SymlinkRaceTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ReplicateFiles_DirectorySwappedForASymlinkOutsideMidSession_NothingOutsideChangesAndVerifiedPassesRepair()
    {
        // Given: 120 small files and 8 large ones under d/, sent at 100 Mbit/s (about 6 s), and a directory outside.
        var source = _dir["src"];
        for (var i = 0; i < 120; i++)
        {
            Write(Path.Combine(source, "d", $"small{i:D3}.bin"), RandomNumberGenerator.GetBytes(256 << 10));
        }

        for (var i = 0; i < 8; i++)
        {
            Write(Path.Combine(source, "d", $"large{i}.bin"), RandomNumberGenerator.GetBytes(5 << 20));
        }

        Write(Path.Combine(source, "e", "last.txt"), "last"u8.ToArray());
        var outside = _dir["outside"];
        Write(Path.Combine(outside, "canary"), "must not change"u8.ToArray());
        var outsideBefore = TreeSnapshot.Take(outside);
        using var receiver = SmsProcess.Start("receive", "--listen", "127.0.0.1:0", "--volumes", _dir["vols"], "--files-root", _dir["files"], "--pairing-file", _dir["pair.json"]);
        await Pairing.WaitAsync(_dir["pair.json"], receiver);
        string[] replicate = ["replicate-files", "--pairing-file", _dir["pair.json"], "--source", source, "--dest", "tree", "--state-dir", _dir["state"], "--json"];
        var targetD = Path.Combine(_dir["files"], "tree", "d");

        // When: once d/ has files on the target, it is moved away and replaced by a symlink to the outside directory.
        SmsRun first;
        using (var pass = SmsProcess.Start([.. replicate, "--rate-limit", "100"]))
        {
            for (var i = 0; i < 1500 && !(Directory.Exists(targetD) && Directory.GetFileSystemEntries(targetD).Length >= 10); i++)
            {
                await Task.Delay(10);
            }

            Assert.False(pass.HasExited, "the pass ended before the swap");
            Directory.Move(targetD, targetD + ".moved");
            File.CreateSymbolicLink(targetD, "../../outside");
            first = await pass.ResultAsync(TimeSpan.FromMinutes(2));
        }

        var outsideAfterFirst = TreeSnapshot.Take(outside);
        var second = await SmsProcess.RunAsync([.. replicate, "--verify"]);
        var third = await SmsProcess.RunAsync([.. replicate, "--verify"]);

        // Then
        output.WriteLine($"pass with the swap: exit {first.ExitCode} {first.Reason}");
        output.WriteLine($"next pass, verified: exit {second.ExitCode} {second.Reason}");
        output.WriteLine($"the one after: exit {third.ExitCode} {third.Reason}");
        Assert.Empty(outsideAfterFirst.ChangesSince(outsideBefore));
        Assert.Empty(TreeSnapshot.Take(outside).ChangesSince(outsideBefore));
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.True(third.Summary.Verified);
        Assert.Null(new FileInfo(targetD).LinkTarget);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            Assert.True(Images.SameBytes(file, Path.Combine(_dir["files"], "tree", Path.GetRelativePath(source, file))), file);
        }
    }

    private static void Write(string path, byte[] data)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, data);
    }
}
