using Sms.Integration.Tests.Support;
using Sms.Replication;

namespace Sms.Integration.Tests.Hostile;

/// <summary>
/// The real <c>sms receive</c> with a volumes dir and a files root, beside an <c>outside</c> directory that must never
/// change; the hostile tests snapshot everything around the two roots before and after.
/// </summary>
public sealed class HostileReceiver : IAsyncLifetime
{
    public TempDirectory Dir { get; } = new();

    public string Volumes => Dir["vols"];

    public string Files => Dir["files"];

    public SmsProcess Process { get; private set; } = null!;

    public ReceiverPairing Pairing { get; private set; } = null!;

    public TreeSnapshot Before { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Dir["outside"]);
        await File.WriteAllTextAsync(Path.Combine(Dir["outside"], "canary"), "must not change");
        Process = SmsProcess.Start("receive", "--listen", "127.0.0.1:0", "--volumes", Volumes, "--files-root", Files, "--pairing-file", Dir["pair.json"]);
        Pairing = await Support.Pairing.WaitAsync(Dir["pair.json"], Process);
        Before = TakeOutside();
    }

    /// <summary>Everything under the test directory except inside the two roots (and the source-side scratch).</summary>
    public TreeSnapshot TakeOutside()
        => TreeSnapshot.Take(Dir.Path, p => p.StartsWith("vols/", StringComparison.Ordinal) || p.StartsWith("files/", StringComparison.Ordinal) || p.StartsWith("scratch", StringComparison.Ordinal));

    /// <summary>Asserts that nothing changed outside the roots and that inside them there are only volumes, trees and bookkeeping.</summary>
    public void AssertNothingEscaped()
    {
        Assert.Empty(TakeOutside().ChangesSince(Before));
        foreach (var path in TreeSnapshot.Take(Volumes).Entries.Keys)
        {
            Assert.Matches(@"^(\.sms(/[^/]+)?|[A-Za-z0-9_-][A-Za-z0-9._-]*\.img)$", path);
        }

        foreach (var (path, what) in TreeSnapshot.Take(Files).Entries)
        {
            Assert.False(what.StartsWith("link /", StringComparison.Ordinal) && !path.Contains('/', StringComparison.Ordinal), $"a top-level absolute link {path} in the files root");
        }
    }

    public Task DisposeAsync()
    {
        Process.Dispose();
        Dir.Dispose();
        return Task.CompletedTask;
    }
}
