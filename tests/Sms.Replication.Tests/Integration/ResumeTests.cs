using FsCheck;
using FsCheck.Xunit;
using Sms.Blocks;
using Sms.Engine;
using Sms.Manifests;

namespace Sms.Replication.Tests.Integration;

public sealed class ResumeTests
{
    private static readonly ReplicationSettings Small = new() { Workers = 2, MaxBuffers = 4, MaxUnacknowledgedBlocks = 4 };

    [Fact]
    public async Task ReplicateAsync_ConnectionCutMidPass_NextPassSendsOnlyWhatWasNotAcknowledged()
    {
        // Given: 40 full blocks of incompressible data, and a link that breaks after ~17 MiB.
        await using var h = await ReplicationHarness.StartAsync();
        Images.CreateSparse(h.SourcePath, 40L << 20, seed: 11, dataFraction: 1.0);
        await using var proxy = new CuttingProxy(h.Receiver.LocalEndpoint, cutAfterBytes: 17L << 20);

        // When
        var cut = await Assert.ThrowsAsync<SmsException>(() => h.ReplicateAsync(Small with { Compression = CompressionKind.None }, h.Pairing with { Endpoint = proxy.Endpoint }));
        var (acknowledged, unknown) = CountManifest(h);
        var resumed = await h.ReplicateAsync(Small);

        // Then
        Assert.Equal(SmsErrorCode.ConnectionLost, cut.ErrorCode);
        Assert.True(cut.IsTransient);
        Assert.InRange(acknowledged, 8, 17);
        Assert.InRange(unknown, 0, Small.MaxUnacknowledgedBlocks);
        Assert.Equal(ReplicationMode.Incremental, resumed.Mode);
        Assert.Equal(40 - acknowledged, resumed.BlocksSent);
        Images.AssertSameContent(h.SourcePath, h.VolumePath());
    }

    [Fact]
    public async Task ReplicateAsync_ReceiverKilledMidPass_ANewReceiverResumesWithoutResendingAcknowledgedBlocks()
    {
        // Given
        await using var h = await ReplicationHarness.StartAsync();
        Images.CreateSparse(h.SourcePath, 32L << 20, seed: 13, dataFraction: 1.0);
        var pairing = h.Pairing;

        // When: the receiver dies after the source has read 20 blocks.
        await using (var source = new TrippingBlockSource(FileBlockSource.Open(h.SourcePath), 20, () => h.StopReceiverAsync()))
        {
            var error = await Assert.ThrowsAsync<SmsException>(() => new BlockReplicator().ReplicateAsync(source, pairing, "disk0", h.State, Small));
            Assert.Equal(SmsErrorCode.ConnectionLost, error.ErrorCode);
        }

        var (acknowledged, _) = CountManifest(h);
        await h.RestartReceiverAsync();
        var resumed = await h.ReplicateAsync(Small with { Verify = true });

        // Then
        Assert.NotEqual(pairing.Fingerprint, h.Pairing.Fingerprint);
        Assert.Equal(ReplicationMode.Incremental, resumed.Mode);
        Assert.Equal(32 - acknowledged, resumed.BlocksSent);
        Assert.True(resumed.Verified);
        Images.AssertSameContent(h.SourcePath, h.VolumePath());
    }

    [Fact]
    public async Task ReplicateAsync_SourceStoppedMidPass_ResumesFromTheManifest()
    {
        // Given
        await using var h = await ReplicationHarness.StartAsync();
        Images.CreateSparse(h.SourcePath, 24L << 20, seed: 14, dataFraction: 1.0);
        using var stop = new CancellationTokenSource();

        // When: the source is stopped abruptly after 12 reads.
        await using (var source = new TrippingBlockSource(FileBlockSource.Open(h.SourcePath), 12, () => stop.CancelAsync()))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new BlockReplicator().ReplicateAsync(source, h.Pairing, "disk0", h.State, Small, cancellationToken: stop.Token));
        }

        var (acknowledged, unknown) = CountManifest(h);
        var resumed = await h.ReplicateAsync(Small);

        // Then
        Assert.InRange(unknown, 0, Small.MaxUnacknowledgedBlocks);
        Assert.Equal(24 - acknowledged, resumed.BlocksSent);
        Images.AssertSameContent(h.SourcePath, h.VolumePath());
    }

    [Property(MaxTest = 6)]
    public void Sync_RandomWritesAndRandomInterruptions_TargetEqualsSource(int seed)
    {
        SyncWithFaultsAsync(seed).GetAwaiter().GetResult();
    }

    private static async Task SyncWithFaultsAsync(int seed)
    {
        var random = new Random(seed);
        await using var h = await ReplicationHarness.StartAsync();
        Images.CreateSparse(h.SourcePath, 12L << 20, seed, dataFraction: 0.7);
        for (var round = 0; round < 3; round++)
        {
            // A faulty pass: the link breaks somewhere, or the receiver dies, or the source is stopped.
            var fault = random.Next(3);
            if (fault == 0)
            {
                await using var proxy = new CuttingProxy(h.Receiver.LocalEndpoint, random.NextInt64(1, 8L << 20));
                await SwallowAsync(h.ReplicateAsync(Small, h.Pairing with { Endpoint = proxy.Endpoint }));
            }
            else
            {
                using var stop = new CancellationTokenSource();
                var pairing = h.Pairing;
                Func<Task> trip = fault == 1 ? () => h.StopReceiverAsync() : () => stop.CancelAsync();
                await using (var source = new TrippingBlockSource(FileBlockSource.Open(h.SourcePath), random.Next(1, 12), trip))
                {
                    await SwallowAsync(new BlockReplicator().ReplicateAsync(source, pairing, "disk0", h.State, Small, cancellationToken: stop.Token));
                }

                if (fault == 1)
                {
                    await h.RestartReceiverAsync();
                }
            }

            Images.Mutate(h.SourcePath, random.Next(), random.Next(1, 6));
        }

        // Then a clean pass makes the target equal the source.
        var final = await h.ReplicateAsync(Small with { Verify = true });
        Assert.True(final.Verified);
        Images.AssertSameContent(h.SourcePath, h.VolumePath());
    }

    private static async Task SwallowAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex) when (ex is SmsException or OperationCanceledException)
        {
        }
    }

    private static (long Acknowledged, long Unknown) CountManifest(ReplicationHarness h)
    {
        using var manifest = BlockManifest.TryOpen(BlockManifest.PathFor(h.State, "disk0"), out var reason) ?? throw new InvalidOperationException(reason);
        long acknowledged = 0, unknown = 0;
        foreach (var entry in manifest.Entries)
        {
            if (entry == BlockHash.Unknown)
            {
                unknown++;
            }
            else if (entry != BlockHash.Zero)
            {
                acknowledged++;
            }
        }

        return (acknowledged, unknown);
    }
}
