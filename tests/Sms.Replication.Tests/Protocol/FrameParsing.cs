using System.Buffers;
using Sms.Protocol;

namespace Sms.Replication.Tests.Protocol;

/// <summary>Drives <see cref="FrameReader"/> the way a read loop does.</summary>
internal static class FrameParsing
{
    /// <summary>Reads frames until the reader asks for more data; the buffer must then be empty.</summary>
    public static List<(FrameHeader Header, byte[] Payload)> ReadAll(ReadOnlySequence<byte> buffer, int maxPayload)
    {
        var frames = new List<(FrameHeader, byte[])>();
        while (FrameReader.TryReadFrame(ref buffer, maxPayload, out var header, out var payload))
        {
            frames.Add((header, payload.ToArray()));
        }

        Assert.Equal(0, buffer.Length);
        return frames;
    }

    /// <summary>One <see cref="FrameReader.TryReadFrame"/> call over contiguous bytes.</summary>
    public static bool TryRead(byte[] bytes, int maxPayload)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        return FrameReader.TryReadFrame(ref buffer, maxPayload, out _, out _);
    }

    /// <summary>One <see cref="FrameReader.TryReadFrame"/> call over a segmented buffer.</summary>
    public static bool TryRead(ReadOnlySequence<byte> buffer, int maxPayload)
        => FrameReader.TryReadFrame(ref buffer, maxPayload, out _, out _);

    /// <summary>A valid 40-byte header for a frame with no payload.</summary>
    public static byte[] ValidHeader(FrameType type = FrameType.Block, int payloadLength = 0)
    {
        var bytes = new byte[ProtocolConstants.HeaderSize];
        FrameWriter.WriteHeader(bytes, new FrameHeader(type, FrameFlags.None, payloadLength, 4096, 1024, new UInt128(1, 2)));
        return bytes;
    }
}
