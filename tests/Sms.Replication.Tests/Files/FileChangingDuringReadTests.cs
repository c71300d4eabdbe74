using Sms.Files;

namespace Sms.Replication.Tests.Files;

public sealed class FileChangingDuringReadTests
{
    [Fact]
    public async Task ReplicateAsync_LargeFileRewrittenWhileRead_IsDetectedReadAgainAndSyncedNextPass()
    {
        // Given: a 48 MiB file that a writer keeps changing (content and time) during the pass.
        await using var h = await FileHarness.StartAsync();
        var path = TreeBuilder.Random(h.Src("busy.bin"), 48 << 20, 1);
        TreeBuilder.File(h.Src("quiet.txt"), "quiet");
        using var stop = new CancellationTokenSource();
        var writer = Background(() => KeepWriting(path, stop.Token));

        // When: rate-limited so that the read spans many of the writer's changes.
        var busy = await h.ReplicateAsync(FileHarness.Settings with { RateLimitMbps = 800, ChangedFileRetries = 2 });
        await stop.CancelAsync();
        await writer;
        var settled = await h.ReplicateAsync();

        // Then: the change was noticed (and the file read again); once it stops changing, the target equals the source.
        Assert.True(busy.ChangedDuringRead >= 1, "the change during the read went unnoticed");
        Assert.Equal(ReplicationMode.Incremental, settled.Mode);
        TreeSnapshot.AssertSameTree(h.Source, h.Target());
    }

    [Fact]
    public async Task ReplicateAsync_SmallFilesAppendedWhileRead_EndEqualAfterTheWritersStop()
    {
        // Given: 50 small files, 8 of them appended to continuously.
        await using var h = await FileHarness.StartAsync();
        var paths = Enumerable.Range(0, 50).Select(i => TreeBuilder.File(h.Src($"logs/{i}.log"), "start\n")).ToArray();
        using var stop = new CancellationTokenSource();
        var writers = paths.Take(8).Select(p => Background(() => KeepAppending(p, stop.Token))).ToArray();

        // When
        await h.ReplicateAsync();
        await h.ReplicateAsync();
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        await h.ReplicateAsync();

        // Then: whatever was sent while the files grew, the pass after the writers stopped makes the target equal.
        TreeSnapshot.AssertSameTree(h.Source, h.Target());
    }

    /// <summary>A dedicated thread (busy writers on the thread pool would starve the replication's own work).</summary>
    private static Task Background(Action action)
        => Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static void KeepWriting(string path, CancellationToken cancellationToken)
    {
        var random = new Random(2);
        var block = new byte[4096];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        while (!cancellationToken.IsCancellationRequested)
        {
            random.NextBytes(block);
            stream.Position = random.NextInt64(stream.Length - block.Length);
            stream.Write(block);
            stream.Flush();
            Thread.Yield();
        }
    }

    private static void KeepAppending(string path, CancellationToken cancellationToken)
    {
        var line = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            File.AppendAllText(path, $"line {line++}\n");
            Thread.Yield();
        }
    }
}
