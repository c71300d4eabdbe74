using System.Buffers;
using System.Buffers.Binary;

namespace Sms.Protocol;

/// <summary>Writes preambles and frames into an <see cref="IBufferWriter{T}"/> (a <c>PipeWriter</c>, say).</summary>
public static class FrameWriter
{
    /// <summary>Writes the 8-byte preamble.</summary>
    /// <param name="writer">The destination.</param>
    public static void WritePreamble(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var span = writer.GetSpan(ProtocolConstants.PreambleSize);
        BinaryPrimitives.WriteUInt32BigEndian(span, ProtocolConstants.Magic);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], ProtocolConstants.Version);
        BinaryPrimitives.WriteUInt16BigEndian(span[6..], 0);
        writer.Advance(ProtocolConstants.PreambleSize);
    }

    /// <summary>Writes a frame header followed by its payload.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="type">The frame type.</param>
    /// <param name="flags">The flags.</param>
    /// <param name="offset">The offset field.</param>
    /// <param name="rawLength">The raw-length field.</param>
    /// <param name="hash">The hash field.</param>
    /// <param name="payload">The payload.</param>
    /// <returns>The number of bytes written.</returns>
    public static int WriteFrame(IBufferWriter<byte> writer, FrameType type, FrameFlags flags, long offset, int rawLength, UInt128 hash, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var span = writer.GetSpan(ProtocolConstants.HeaderSize);
        WriteHeader(span, new FrameHeader(type, flags, payload.Length, offset, rawLength, hash));
        writer.Advance(ProtocolConstants.HeaderSize);
        if (!payload.IsEmpty)
        {
            writer.Write(payload);
        }

        return ProtocolConstants.HeaderSize + payload.Length;
    }

    /// <summary>Writes a header into 40 bytes.</summary>
    /// <param name="destination">At least <see cref="ProtocolConstants.HeaderSize"/> bytes.</param>
    /// <param name="header">The header.</param>
    public static void WriteHeader(Span<byte> destination, in FrameHeader header)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination[ProtocolConstants.PayloadLengthOffset..], (uint)header.PayloadLength);
        destination[ProtocolConstants.TypeOffset] = (byte)header.Type;
        destination[ProtocolConstants.FlagsOffset] = (byte)header.Flags;
        BinaryPrimitives.WriteUInt16BigEndian(destination[ProtocolConstants.ReservedOffset..], 0);
        BinaryPrimitives.WriteUInt64BigEndian(destination[ProtocolConstants.OffsetOffset..], (ulong)header.Offset);
        BinaryPrimitives.WriteUInt32BigEndian(destination[ProtocolConstants.RawLengthOffset..], (uint)header.RawLength);
        BinaryPrimitives.WriteUInt32BigEndian(destination[ProtocolConstants.Reserved2Offset..], 0);
        BinaryPrimitives.WriteUInt128BigEndian(destination[ProtocolConstants.HashOffset..], header.Hash);
    }
}
