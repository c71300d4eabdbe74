using Sms.Blocks;
using Sms.Replication;

namespace Sms.Replication.Tests.Integration;

public sealed class BlockReplicationTests
{
    [Fact]
    public async Task ReplicateAsync_FirstPass_IsFullAndTargetEqualsSource()
    {
        // Given
        await using var h = await ReplicationHarness.StartAsync();
        Images.CreateSparse(h.SourcePath, 48L << 20, seed: 1);

        // When
        var result = await h.ReplicateAsync(new ReplicationSettings { Workers = 2, MaxBuffers = 6, Verify = true });

        // Then
        Assert.Equal(ReplicationMode.Full, result.Mode);
        Assert.Equal("no manifest from an earlier pass", result.FullReason);
        Assert.True(result.Verified);
        Assert.True(result.BlocksSent > 0);
        Assert.True(result.BytesScanned < 48L << 20, "holes are not read");
        Images.AssertSameContent(h.SourcePath, h.VolumePath());
    }

    [Fact]
    public async Task ReplicateAsync_NothingChanged_SendsNoBlock()
    {
        // Given
        await using var h = await ReplicationHarness.StartAsync();
        Images.CreateSparse(h.SourcePath, 24L << 20, seed: 2);
        await h.ReplicateAsync();

        // When
        var second = await h.ReplicateAsync();

        // Then
        Assert.Equal(ReplicationMode.Incremental, second.Mode);
        Assert.Equal(0, second.BlocksSent);
        Assert.Equal(0, second.BytesWritten);
    }

    [Fact]
    public async Task ReplicateAsync_AfterSmallChanges_SendsOnlyChangedBlocks()
    {
        // Given
        await using var h = await ReplicationHarness.StartAsync();
        Images.CreateSparse(h.SourcePath, 64L << 20, seed: 3);
        await h.ReplicateAsync();
        Images.Mutate(h.SourcePath, seed: 4, count: 3);

        // When
        var second = await h.ReplicateAsync(new ReplicationSettings { Workers = 2, MaxBuffers = 6, Verify = true });

        // Then
        Assert.Equal(ReplicationMode.Incremental, second.Mode);
        Assert.InRange(second.BlocksSent, 1, 6); // three writes touch at most two blocks each
        Assert.True(second.Verified);
        Images.AssertSameContent(h.SourcePath, h.VolumePath());
    }

    [Fact]
    public async Task ReplicateAsync_BlockBecameZero_ZeroesItOnTarget()
    {
        // Given
        await using var h = await ReplicationHarness.StartAsync();
        Images.CreateSparse(h.SourcePath, 16L << 20, seed: 5, dataFraction: 1.0);
        await h.ReplicateAsync();
        Images.ZeroBlock(h.SourcePath, 7);

        // When
        var second = await h.ReplicateAsync();

        // Then
        Assert.Equal(1, second.BlocksSent);
        Images.AssertSameContent(h.SourcePath, h.VolumePath());
    }

    [Theory]
    [InlineData(CompressionKind.None)]
    [InlineData(CompressionKind.Lz4)]
    [InlineData(CompressionKind.Zstd)]
    public async Task ReplicateAsync_EveryCompression_TargetEqualsSourceAndCompressibleDataShrinks(CompressionKind compression)
    {
        // Given
        await using var h = await ReplicationHarness.StartAsync();
        Images.CreateSparse(h.SourcePath, 16L << 20, seed: 6, dataFraction: 0.8);

        // When
        var result = await h.ReplicateAsync(new ReplicationSettings { Workers = 2, MaxBuffers = 4, Compression = compression, AdaptiveCompression = false });

        // Then: about half the data blocks are text-like and compress well.
        Assert.True(result.BlocksSent > 0);
        if (compression == CompressionKind.None)
        {
            Assert.True(result.BytesSent > result.BytesWritten);
        }
        else
        {
            Assert.True(result.BytesSent < result.BytesWritten * 0.8, $"{result.BytesSent} sent for {result.BytesWritten} written");
        }

        Images.AssertSameContent(h.SourcePath, h.VolumePath());
    }

    [Fact]
    public async Task ReplicateAsync_ForceFull_ResetsAndResendsEverything()
    {
        // Given
        await using var h = await ReplicationHarness.StartAsync();
        Images.CreateSparse(h.SourcePath, 16L << 20, seed: 7);
        var first = await h.ReplicateAsync();

        // When
        var again = await h.ReplicateAsync(new ReplicationSettings { Workers = 2, MaxBuffers = 6, ForceFull = true });

        // Then
        Assert.Equal(ReplicationMode.Full, again.Mode);
        Assert.Equal(first.BlocksSent, again.BlocksSent);
        Images.AssertSameContent(h.SourcePath, h.VolumePath());
    }

    [Fact]
    public async Task ReplicateAsync_SourceSizeChanged_FailsWithSms0515()
    {
        // Given
        await using var h = await ReplicationHarness.StartAsync();
        Images.CreateSparse(h.SourcePath, 8L << 20, seed: 8);
        await h.ReplicateAsync();
        using (var file = new FileStream(h.SourcePath, FileMode.Open))
        {
            file.SetLength(12L << 20);
        }

        // When
        var error = await Assert.ThrowsAsync<SmsException>(() => h.ReplicateAsync());

        // Then
        Assert.Equal(SmsErrorCode.SourceDiskChanged, error.ErrorCode);
        Assert.Contains("--full", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplicateAsync_TargetTamperedWith_VerifyReportsTheBlockAndNextPassRepairsIt()
    {
        // Given
        await using var h = await ReplicationHarness.StartAsync();
        Images.CreateSparse(h.SourcePath, 8L << 20, seed: 9, dataFraction: 1.0);
        await h.ReplicateAsync();
        using (var target = new FileStream(h.VolumePath(), FileMode.Open, FileAccess.Write))
        {
            target.Position = (3L << 20) + 100;
            target.WriteByte(0x5A);
            target.WriteByte(0xA5);
        }

        // When
        var verified = await h.ReplicateAsync(new ReplicationSettings { Workers = 2, MaxBuffers = 6, Verify = true });
        var repaired = await h.ReplicateAsync(new ReplicationSettings { Workers = 2, MaxBuffers = 6, Verify = true });

        // Then
        Assert.False(verified.Verified);
        Assert.Equal([3L << 20], verified.MismatchedOffsets);
        Assert.Equal(1, repaired.BlocksSent);
        Assert.True(repaired.Verified);
        Images.AssertSameContent(h.SourcePath, h.VolumePath());
    }

    [Fact]
    public async Task ReplicateAsync_Ext4ImageFromMkfs_TargetPassesE2fsckAndEqualsSource()
    {
        // Given: an ext4 image made by the real tool, filled with files.
        await using var h = await ReplicationHarness.StartAsync();
        var tree = h.Directory.Combine("tree");
        Directory.CreateDirectory(Path.Combine(tree, "etc"));
        await File.WriteAllTextAsync(Path.Combine(tree, "etc", "hostname"), "src\n");
        var random = new Random(10);
        for (var i = 0; i < 50; i++)
        {
            var bytes = new byte[random.Next(1, 300_000)];
            random.NextBytes(bytes);
            await File.WriteAllBytesAsync(Path.Combine(tree, $"file{i}.bin"), bytes);
        }

        Images.Run("mkfs.ext4", "-q", "-F", "-d", tree, h.SourcePath, "64M");

        // When: full, then a file written into the file system, then incremental.
        var full = await h.ReplicateAsync();
        var added = h.Directory.Combine("added.bin");
        await File.WriteAllBytesAsync(added, new byte[3 << 20].Select((_, i) => (byte)(i * 7)).ToArray());
        Images.Run("debugfs", "-w", "-R", $"write {added} /added.bin", h.SourcePath);
        var incremental = await h.ReplicateAsync(new ReplicationSettings { Workers = 2, MaxBuffers = 6, Verify = true });

        // Then
        Assert.Equal(ReplicationMode.Full, full.Mode);
        Assert.Equal(ReplicationMode.Incremental, incremental.Mode);
        Assert.InRange(incremental.BlocksSent, 1, 10);
        Assert.True(incremental.Verified);
        Images.AssertSameContent(h.SourcePath, h.VolumePath());
        Images.Run("e2fsck", "-fn", h.VolumePath());
        Assert.Contains("added.bin", Images.Run("debugfs", "-R", "ls -l /", h.VolumePath()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplicateAsync_RateLimitedLinkAndCompressibleData_AdaptiveCompressionShrinksWhatCrossesTheLink()
    {
        // Given: 96 MiB of text-like blocks over an 80 Mbit/s link: the link, not the CPU, is the bottleneck.
        await using var h = await ReplicationHarness.StartAsync();
        using (var file = new FileStream(h.SourcePath, FileMode.Create))
        {
            var text = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 40_000).Select(i => $"line {i} of a log file\n")));
            for (var written = 0L; written < 96L << 20; written += text.Length)
            {
                file.Write(text, 0, (int)Math.Min(text.Length, (96L << 20) - written));
            }
        }

        // When
        var result = await h.ReplicateAsync(new ReplicationSettings { Workers = 2, MaxBuffers = 6, RateLimitMbps = 80 });

        // Then: after a second of measuring without, the governor keeps compression on: most blocks went compressed.
        Assert.True(result.BytesSent < result.BytesWritten / 2, $"{result.BytesSent} sent for {result.BytesWritten} written");
        Images.AssertSameContent(h.SourcePath, h.VolumePath());
    }
}
