using K4os.Compression.LZ4;
using Sms.Protocol;
using Sms.Replication;
using ZstdSharp;

namespace Sms.Compression;

/// <summary>
/// Compresses blocks for the wire, keeping the compressed form only when it is smaller. One instance per worker:
/// it holds a zstd context, which is not thread-safe.
/// </summary>
public sealed class BlockCodec : IDisposable
{
    private readonly CompressionKind _kind;
    private Compressor? _zstdCompressor;
    private Decompressor? _zstdDecompressor;

    /// <summary>Creates a codec.</summary>
    /// <param name="kind">The compression to try on every block.</param>
    public BlockCodec(CompressionKind kind)
    {
        _kind = kind;
    }

    /// <summary>The buffer size <see cref="TryCompress"/> needs for a block of <paramref name="blockSize"/> bytes.</summary>
    /// <param name="blockSize">The block size.</param>
    /// <returns>The bound.</returns>
    public static int MaxCompressedLength(int blockSize)
        => Math.Max(LZ4Codec.MaximumOutputSize(blockSize), Compressor.GetCompressBound(blockSize));

    /// <summary>Compresses <paramref name="source"/>; succeeds only when the result is smaller.</summary>
    /// <param name="source">The raw block.</param>
    /// <param name="destination">At least <see cref="MaxCompressedLength"/> bytes.</param>
    /// <param name="written">The compressed length.</param>
    /// <param name="flags">The frame flag naming the codec.</param>
    /// <returns><see langword="true"/> when <paramref name="destination"/> holds a smaller form.</returns>
    public bool TryCompress(ReadOnlySpan<byte> source, Span<byte> destination, out int written, out FrameFlags flags)
    {
        written = 0;
        flags = FrameFlags.None;
        switch (_kind)
        {
            case CompressionKind.Lz4:
                written = LZ4Codec.Encode(source, destination, LZ4Level.L00_FAST);
                flags = FrameFlags.Lz4;
                break;
            case CompressionKind.Zstd:
                _zstdCompressor ??= new Compressor(1);
                written = _zstdCompressor.Wrap(source, destination);
                flags = FrameFlags.Zstd;
                break;
            default:
                return false;
        }

        return written > 0 && written < source.Length;
    }

    /// <summary>Decompresses a payload into exactly <c>destination.Length</c> bytes.</summary>
    /// <param name="flags">The frame's flags.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="destination">The raw block's buffer, of the raw length.</param>
    /// <exception cref="ReplicationProtocolException">The payload does not decode to exactly that many bytes.</exception>
    public void Decompress(FrameFlags flags, ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        int decoded;
        try
        {
            switch (flags)
            {
                case FrameFlags.None:
                    if (payload.Length != destination.Length)
                    {
                        throw Corrupt(payload.Length, destination.Length);
                    }

                    payload.CopyTo(destination);
                    return;
                case FrameFlags.Lz4:
                    decoded = LZ4Codec.Decode(payload, destination);
                    break;
                case FrameFlags.Zstd:
                    _zstdDecompressor ??= new Decompressor();
                    decoded = _zstdDecompressor.Unwrap(payload, destination);
                    break;
                default:
                    throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"Unknown compression flags {flags}.");
            }
        }
        catch (ZstdException ex)
        {
            throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"A zstd block payload is corrupt: {ex.Message}", ex);
        }

        if (decoded != destination.Length)
        {
            throw Corrupt(decoded, destination.Length);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _zstdCompressor?.Dispose();
        _zstdDecompressor?.Dispose();
    }

    private static ReplicationProtocolException Corrupt(int got, int expected)
        => new(SmsErrorCode.ProtocolViolation, $"A block payload decoded to {got} bytes, not the announced {expected}.");
}
