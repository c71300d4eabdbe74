using FsCheck;
using FsCheck.Xunit;
using Sms.Compression;
using Sms.Protocol;

namespace Sms.Replication.Tests.Compression;

public sealed class BlockCodecCorruptionTests
{
    private static (byte[] Block, byte[] Payload, FrameFlags Flags) Compress(CompressionKind kind, int length = 8192)
    {
        var block = CodecData.Repeated("corruption test ", length);
        using var codec = new BlockCodec(kind);
        var compressed = new byte[BlockCodec.MaxCompressedLength(length)];
        Assert.True(codec.TryCompress(block, compressed, out var written, out var flags));
        return (block, compressed.AsSpan(0, written).ToArray(), flags);
    }

    private static ReplicationProtocolException DecompressFails(FrameFlags flags, byte[] payload, int rawLength)
    {
        using var codec = new BlockCodec(CompressionKind.None);
        return Assert.Throws<ReplicationProtocolException>(() => codec.Decompress(flags, payload, new byte[rawLength]));
    }

    [Theory]
    [InlineData(CompressionKind.Lz4, -1)]
    [InlineData(CompressionKind.Lz4, 1)]
    [InlineData(CompressionKind.Lz4, 4096)]
    [InlineData(CompressionKind.Zstd, -1)]
    [InlineData(CompressionKind.Zstd, 1)]
    [InlineData(CompressionKind.Zstd, 4096)]
    public void Decompress_WrongRawLength_ThrowsProtocolViolation(CompressionKind kind, int delta)
    {
        // Given
        var (block, payload, flags) = Compress(kind);

        // When
        var ex = DecompressFails(flags, payload, block.Length + delta);

        // Then
        Assert.Equal(SmsErrorCode.ProtocolViolation, ex.ErrorCode);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public void Decompress_UncompressedPayloadOfWrongLength_ThrowsProtocolViolation(int delta)
    {
        // Given
        var payload = new byte[4096];

        // When
        var ex = DecompressFails(FrameFlags.None, payload, payload.Length + delta);

        // Then
        Assert.Equal(SmsErrorCode.ProtocolViolation, ex.ErrorCode);
    }

    [Theory]
    [InlineData(FrameFlags.Lz4)]
    [InlineData(FrameFlags.Zstd)]
    public void Decompress_GarbagePayload_ThrowsProtocolViolation(FrameFlags flags)
    {
        // Given
        var payload = Enumerable.Repeat((byte)0xFF, 64).ToArray();

        // When
        var ex = DecompressFails(flags, payload, 8192);

        // Then
        Assert.Equal(SmsErrorCode.ProtocolViolation, ex.ErrorCode);
    }

    [Fact]
    public void Decompress_UnknownFlags_ThrowsProtocolViolation()
    {
        // Given
        var payload = new byte[16];

        // When
        var ex = DecompressFails(FrameFlags.Lz4 | FrameFlags.Zstd, payload, 16);

        // Then
        Assert.Equal(SmsErrorCode.ProtocolViolation, ex.ErrorCode);
    }

    [Property(MaxTest = 100)]
    public void Decompress_TruncatedPayload_ThrowsProtocolViolation(bool zstd, PositiveInt cut)
    {
        // Given
        var (block, payload, flags) = Compress(zstd ? CompressionKind.Zstd : CompressionKind.Lz4);
        var truncated = payload.AsSpan(0, payload.Length - 1 - (cut.Get % payload.Length)).ToArray();

        // When
        var ex = DecompressFails(flags, truncated, block.Length);

        // Then
        Assert.Equal(SmsErrorCode.ProtocolViolation, ex.ErrorCode);
    }

    [Property(MaxTest = 200)]
    public void Decompress_ArbitraryPayload_DecodesOrThrowsProtocolViolation(bool zstd, byte[] payload, byte rawLengthSeed, int position, byte value)
    {
        // Given: a valid payload with one byte replaced, or arbitrary bytes.
        var flags = zstd ? FrameFlags.Zstd : FrameFlags.Lz4;
        var (block, valid, _) = Compress(zstd ? CompressionKind.Zstd : CompressionKind.Lz4, 1024);
        var corrupt = payload.Length > 0 ? payload : valid;
        if (payload.Length == 0)
        {
            corrupt[(int)((uint)position % (uint)corrupt.Length)] = value;
        }

        var rawLength = rawLengthSeed % 2 == 0 ? block.Length : rawLengthSeed * 7;
        using var codec = new BlockCodec(CompressionKind.None);

        // When
        var thrown = Record.Exception(() => codec.Decompress(flags, corrupt, new byte[rawLength]));

        // Then
        if (thrown is not null)
        {
            var protocol = Assert.IsType<ReplicationProtocolException>(thrown);
            Assert.Equal(SmsErrorCode.ProtocolViolation, protocol.ErrorCode);
        }
    }
}
