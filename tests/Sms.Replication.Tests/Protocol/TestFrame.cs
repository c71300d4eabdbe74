using System.Buffers;
using Sms.Protocol;

namespace Sms.Replication.Tests.Protocol;

/// <summary>A frame to encode: every header field plus its payload.</summary>
public sealed record TestFrame(FrameType Type, FrameFlags Flags, long Offset, int RawLength, UInt128 Hash, byte[] Payload)
{
    /// <summary>The header a reader should return for this frame.</summary>
    public FrameHeader ExpectedHeader => new(Type, Flags, Payload.Length, Offset, RawLength, Hash);

    /// <summary>Encodes the frame with <see cref="FrameWriter.WriteFrame"/>.</summary>
    public byte[] Encode()
    {
        var writer = new ArrayBufferWriter<byte>();
        FrameWriter.WriteFrame(writer, Type, Flags, Offset, RawLength, Hash, Payload);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Encodes several frames back to back.</summary>
    public static byte[] EncodeAll(IEnumerable<TestFrame> frames)
    {
        var writer = new ArrayBufferWriter<byte>();
        foreach (var frame in frames)
        {
            FrameWriter.WriteFrame(writer, frame.Type, frame.Flags, frame.Offset, frame.RawLength, frame.Hash, frame.Payload);
        }

        return writer.WrittenSpan.ToArray();
    }

    /// <inheritdoc />
    public override string ToString()
        => $"{Type} {Flags} offset={Offset} raw={RawLength} hash={Hash:X} payload[{Payload.Length}]";
}
