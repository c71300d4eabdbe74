using Sms.Files;
using Sms.Files.Manifest;
using Sms.Replication.Tests.Integration;

namespace Sms.Replication.Tests.Files;

public sealed class FileResumeTests
{
    private static readonly FileReplicationSettings Small = FileHarness.Settings with { MaxUnacknowledgedFrames = 8, BatchBytes = 64 * 1024, InlineFileLimit = 32 * 1024 };

    [Fact]
    public async Task ReplicateAsync_ConnectionCutMidPass_ResumesWithoutResendingAcknowledgedFiles()
    {
        // Given: 600 files of 20 KiB (12 MB) and a link that breaks after about 5 MB.
        await using var h = await FileHarness.StartAsync();
        BuildFiles(h, count: 600, size: 20_000);
        await using var proxy = new CuttingProxy(h.Receiver.LocalEndpoint, cutAfterBytes: 5L << 20);

        // When
        var cut = await Assert.ThrowsAsync<SmsException>(() => h.ReplicateAsync(Small, h.Pairing with { Endpoint = proxy.Endpoint }));
        var acknowledged = AcknowledgedFiles(h);
        var resumed = await h.ReplicateAsync(Small);

        // Then: the resumed pass is incremental and sends only the files not acknowledged before the cut.
        Assert.Equal(SmsErrorCode.ConnectionLost, cut.ErrorCode);
        Assert.True(cut.IsTransient);
        Assert.InRange(acknowledged, 50, 400);
        Assert.Equal(ReplicationMode.Incremental, resumed.Mode);
        Assert.Equal(600 - acknowledged, resumed.FilesSent);
        TreeSnapshot.AssertSameTree(h.Source, h.Target());
    }

    [Fact]
    public async Task ReplicateAsync_ReceiverKilledMidPass_ANewReceiverResumes()
    {
        // Given
        await using var h = await FileHarness.StartAsync();
        BuildFiles(h, count: 400, size: 30_000);
        var pairing = h.Pairing;

        // When: the receiver dies once about a third of the bytes were written.
        var stopped = 0;
        var progress = new SyncProgress(p =>
        {
            if (p.BytesWritten > 4_000_000 && Interlocked.Exchange(ref stopped, 1) == 0)
            {
                _ = Task.Run(h.StopReceiverAsync);
            }
        });
        var error = await Assert.ThrowsAsync<SmsException>(() => h.ReplicateAsync(Small with { RateLimitMbps = 40 }, pairing, progress: progress));
        var acknowledged = AcknowledgedFiles(h);
        await h.RestartReceiverAsync();
        var resumed = await h.ReplicateAsync(Small with { Verify = FileVerifyMode.Full });

        // Then: same tree (the receiver's state survived), only the rest sent, and verified.
        Assert.Equal(SmsErrorCode.ConnectionLost, error.ErrorCode);
        Assert.NotEqual(pairing.Fingerprint, h.Pairing.Fingerprint);
        Assert.Equal(ReplicationMode.Incremental, resumed.Mode);
        Assert.InRange(acknowledged, 1, 399);
        Assert.Equal(400 - acknowledged, resumed.FilesSent);
        Assert.True(resumed.Verified);
        TreeSnapshot.AssertSameTree(h.Source, h.Target());
    }

    [Fact]
    public async Task ReplicateAsync_SourceStoppedAbruptly_ResumesFromTheJournal()
    {
        // Given: small files and large ones.
        await using var h = await FileHarness.StartAsync();
        BuildFiles(h, count: 300, size: 25_000);
        for (var i = 0; i < 6; i++)
        {
            TreeBuilder.Random(h.Src($"large/{i}.bin"), 2 << 20, 100 + i);
        }

        using var stop = new CancellationTokenSource();
        var progress = new SyncProgress(p =>
        {
            if (p.BytesWritten > 5_000_000)
            {
                stop.Cancel();
            }
        });

        // When: cancelled mid-pass (nothing is flushed or finished on the way out).
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.ReplicateAsync(Small with { RateLimitMbps = 40 }, progress: progress, cancellationToken: stop.Token));
        var acknowledged = AcknowledgedFiles(h);
        var resumed = await h.ReplicateAsync(Small);

        // Then
        Assert.InRange(acknowledged, 1, 305);
        Assert.Equal(ReplicationMode.Incremental, resumed.Mode);
        Assert.Equal(306 - acknowledged, resumed.FilesSent);
        TreeSnapshot.AssertSameTree(h.Source, h.Target());
    }

    [Fact]
    public async Task ReplicateAsync_StoppedAfterFilesChangedInPlace_ResumeRestoresTheirDirectoriesTimes()
    {
        // Given: a synced tree whose files are then rewritten in place (their directories' times do not change on
        // the source, but the target renames new copies into those directories).
        await using var h = await FileHarness.StartAsync();
        BuildFiles(h, count: 300, size: 25_000);
        await h.ReplicateAsync(Small);
        for (var i = 0; i < 300; i++)
        {
            using var stream = new FileStream(h.Src($"d{i % 13}/f{i}.bin"), FileMode.Open);
            stream.Write(Guid.NewGuid().ToByteArray());
        }

        using var stop = new CancellationTokenSource();
        var progress = new SyncProgress(p =>
        {
            if (p.BytesWritten > 2_000_000)
            {
                stop.Cancel();
            }
        });

        // When: the sync stops after some files were acknowledged, before any directory's metadata was sent.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.ReplicateAsync(Small with { RateLimitMbps = 40 }, progress: progress, cancellationToken: stop.Token));
        var resumed = await h.ReplicateAsync(Small);

        // Then: the resumed pass sends only the rest, and every directory has its source times again.
        Assert.Equal(ReplicationMode.Incremental, resumed.Mode);
        Assert.InRange(resumed.FilesSent, 1, 299);
        TreeSnapshot.AssertSameTree(h.Source, h.Target());
    }

    [Fact]
    public async Task ReplicateAsync_StoppedAfterAHardLinkedFilesNewContentWasAcknowledged_ResumeRelinksItsOtherNames()
    {
        // Given: a synced tree with a hard-linked small file among large ones; then the linked file changes in place
        // (one inode on the source) and the large files change too, so the next pass is long.
        await using var h = await FileHarness.StartAsync();
        TreeBuilder.File(h.Src("a/linked"), "old content");
        TreeBuilder.HardLink(h.Src("a/linked"), h.Src("b/other-name"));
        for (var i = 0; i < 4; i++)
        {
            TreeBuilder.Random(h.Src($"large/{i}.bin"), 6 << 20, i);
        }

        await h.ReplicateAsync(Small);
        File.WriteAllText(h.Src("a/linked"), "new content");
        for (var i = 0; i < 4; i++)
        {
            TreeBuilder.Random(h.Src($"large/{i}.bin"), 6 << 20, 10 + i);
        }

        using var stop = new CancellationTokenSource();
        var progress = new SyncProgress(p =>
        {
            if (p.BytesWritten > 6_000_000)
            {
                stop.Cancel();
            }
        });

        // When: stopped while the large files flow, after the linked file's new copy was acknowledged, before the
        // end of the pass (where its other names are linked to the new copy).
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.ReplicateAsync(Small with { RateLimitMbps = 40 }, progress: progress, cancellationToken: stop.Token));
        await h.ReplicateAsync(Small);

        // Then: both names hold the new content, as one file.
        Assert.Equal("new content", File.ReadAllText(h.Dst("b/other-name")));
        TreeSnapshot.AssertSameTree(h.Source, h.Target());
    }

    [Fact]
    public async Task ReplicateAsync_ManifestLostAfterACompletedPass_TheReceiverResetsInsteadOfTrustingIt()
    {
        // Given: two passes, then the source's state goes back to what it was after the first (a restored backup, a
        // crash that lost the last write).
        await using var h = await FileHarness.StartAsync();
        TreeBuilder.File(h.Src("a"), "a");
        await h.ReplicateAsync();
        var manifest = FileManifest.PathFor(h.State, "t");
        var old = File.ReadAllBytes(manifest);
        File.Delete(h.Src("a"));
        TreeBuilder.File(h.Src("b"), "b");
        await h.ReplicateAsync();
        File.WriteAllBytes(manifest, old);
        TreeBuilder.File(h.Src("a"), "a");

        // When
        var result = await h.ReplicateAsync();

        // Then: the stale manifest is not trusted (it would have left "a" missing).
        Assert.Equal(ReplicationMode.Full, result.Mode);
        Assert.Contains("pass", result.FullReason, StringComparison.Ordinal);
        TreeSnapshot.AssertSameTree(h.Source, h.Target());
    }

    internal static void BuildFiles(FileHarness h, int count, int size)
    {
        for (var i = 0; i < count; i++)
        {
            TreeBuilder.Random(h.Src($"d{i % 13}/f{i}.bin"), size, i);
        }
    }

    /// <summary>Regular files the source's manifest (and journal) record as acknowledged.</summary>
    internal static int AcknowledgedFiles(FileHarness h)
    {
        var manifest = FileManifest.TryLoad(FileManifest.PathFor(h.State, "t"), FileManifest.JournalPathFor(h.State, "t"), out _);
        return manifest?.Entries.Values.Count(static e => e.Kind == FileKind.Regular) ?? 0;
    }
}
