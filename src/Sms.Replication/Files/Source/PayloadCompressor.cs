using Sms.Compression;
using Sms.Files.Wire;
using Sms.Protocol;

namespace Sms.Files.Source;

/// <summary>One producer's compressor: compresses a payload into a scratch array and swaps it in when smaller.</summary>
internal sealed class PayloadCompressor : IDisposable
{
    private readonly BlockCodec _codec;
    private byte[] _scratch;

    public PayloadCompressor(Sms.Replication.CompressionKind kind, int capacity)
    {
        _codec = new BlockCodec(kind);
        _scratch = GC.AllocateUninitializedArray<byte>(capacity);
    }

    /// <summary>The capacity every frame buffer needs for compression to work in place.</summary>
    public static int BufferCapacity => BlockCodec.MaxCompressedLength(FileWire.MaxPayload);

    /// <summary>Compresses the buffer's payload when that makes it smaller; returns the frame flag.</summary>
    public FrameFlags TryCompress(RecordBuffer buffer)
    {
        if (_codec.TryCompress(buffer.Written, _scratch, out var written, out var flags))
        {
            buffer.Swap(ref _scratch, written);
            return flags;
        }

        return FrameFlags.None;
    }

    public void Dispose() => _codec.Dispose();
}
