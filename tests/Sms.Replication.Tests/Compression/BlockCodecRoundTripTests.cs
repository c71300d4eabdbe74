using FsCheck.Xunit;
using Sms.Compression;
using Sms.Protocol;

namespace Sms.Replication.Tests.Compression;

public sealed class BlockCodecRoundTripTests
{
    [Property(MaxTest = 150, Arbitrary = [typeof(CodecData)])]
    public void TryCompress_AnyBlock_TrueOnlyWhenSmallerAndDecompressGivesItBack(CompressionKind kind, byte[] block)
    {
        // Given
        using var codec = new BlockCodec(kind);
        var compressed = new byte[BlockCodec.MaxCompressedLength(block.Length)];
        var restored = new byte[block.Length];

        // When
        var smaller = codec.TryCompress(block, compressed, out var written, out var flags);
        if (smaller)
        {
            codec.Decompress(flags, compressed.AsSpan(0, written), restored);
        }
        else
        {
            codec.Decompress(FrameFlags.None, block, restored);
        }

        // Then
        Assert.Equal(smaller, written > 0 && written < block.Length);
        Assert.Equal(kind == CompressionKind.Lz4 ? FrameFlags.Lz4 : FrameFlags.Zstd, flags);
        Assert.Equal(block, restored);
    }

    [Property(MaxTest = 100, Arbitrary = [typeof(CodecData)])]
    public void TryCompress_CompressibleBlock_CompressesAndRoundTrips(CompressionKind kind, int patternSeed, byte lengthSeed)
    {
        // Given
        var pattern = CodecData.RandomBytes(patternSeed, 1 + (lengthSeed % 64));
        var block = Enumerable.Range(0, 16 * 1024).Select(i => pattern[i % pattern.Length]).ToArray();
        using var codec = new BlockCodec(kind);
        var compressed = new byte[BlockCodec.MaxCompressedLength(block.Length)];
        var restored = new byte[block.Length];

        // When
        var smaller = codec.TryCompress(block, compressed, out var written, out var flags);
        codec.Decompress(flags, compressed.AsSpan(0, written), restored);

        // Then
        Assert.True(smaller);
        Assert.True(written < block.Length / 4, $"{written} bytes for a {block.Length}-byte repeating block");
        Assert.Equal(block, restored);
    }

    [Theory]
    [InlineData(CompressionKind.Lz4)]
    [InlineData(CompressionKind.Zstd)]
    public void TryCompress_RandomBlock_ReturnsFalse(CompressionKind kind)
    {
        // Given
        var block = CodecData.RandomBytes(17, 64 * 1024);
        using var codec = new BlockCodec(kind);
        var compressed = new byte[BlockCodec.MaxCompressedLength(block.Length)];

        // When
        var smaller = codec.TryCompress(block, compressed, out _, out _);

        // Then
        Assert.False(smaller);
    }

    [Fact]
    public void TryCompress_KindNone_ReturnsFalseWithNoFlags()
    {
        // Given
        var block = CodecData.Repeated("a", 4096);
        using var codec = new BlockCodec(CompressionKind.None);
        var compressed = new byte[BlockCodec.MaxCompressedLength(block.Length)];

        // When
        var smaller = codec.TryCompress(block, compressed, out var written, out var flags);

        // Then
        Assert.False(smaller);
        Assert.Equal(0, written);
        Assert.Equal(FrameFlags.None, flags);
    }

    [Theory]
    [InlineData(CompressionKind.Lz4)]
    [InlineData(CompressionKind.Zstd)]
    public void TryCompress_EmptyBlock_ReturnsFalse(CompressionKind kind)
    {
        // Given
        using var codec = new BlockCodec(kind);
        var compressed = new byte[BlockCodec.MaxCompressedLength(0)];

        // When
        var smaller = codec.TryCompress([], compressed, out _, out _);

        // Then
        Assert.False(smaller);
    }

    [Fact]
    public void Decompress_SameCodecManyBlocks_ReusesContextsCorrectly()
    {
        // Given
        using var codec = new BlockCodec(CompressionKind.Zstd);
        using var peer = new BlockCodec(CompressionKind.Zstd);

        for (var i = 0; i < 20; i++)
        {
            var block = CodecData.Repeated($"block {i} ", 8192 + i);
            var compressed = new byte[BlockCodec.MaxCompressedLength(block.Length)];
            var restored = new byte[block.Length];

            // When
            Assert.True(codec.TryCompress(block, compressed, out var written, out var flags));
            peer.Decompress(flags, compressed.AsSpan(0, written), restored);

            // Then
            Assert.Equal(block, restored);
        }
    }

    [Fact]
    public void MaxCompressedLength_BlockSize_IsAtLeastTheBlockSize()
    {
        // Given / When
        var bound = BlockCodec.MaxCompressedLength(1 << 20);

        // Then
        Assert.True(bound >= 1 << 20);
    }
}
