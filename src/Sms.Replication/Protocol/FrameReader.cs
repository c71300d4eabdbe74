using System.Buffers;
using System.Buffers.Binary;

namespace Sms.Protocol;

/// <summary>Parses frames from a byte sequence, Kestrel style: <see langword="false"/> means "need more data".</summary>
public static class FrameReader
{
    /// <summary>Tries to read the 8-byte preamble.</summary>
    /// <param name="buffer">The received bytes; advanced past the preamble on success.</param>
    /// <param name="version">The peer's protocol version.</param>
    /// <returns><see langword="false"/> when fewer than 8 bytes are there.</returns>
    /// <exception cref="ReplicationProtocolException">The bytes are not a preamble.</exception>
    public static bool TryReadPreamble(ref ReadOnlySequence<byte> buffer, out ushort version)
    {
        version = 0;
        if (buffer.Length < ProtocolConstants.PreambleSize)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[ProtocolConstants.PreambleSize];
        buffer.Slice(0, ProtocolConstants.PreambleSize).CopyTo(bytes);
        if (BinaryPrimitives.ReadUInt32BigEndian(bytes) != ProtocolConstants.Magic)
        {
            ThrowHelper.ThrowBadPreamble("wrong magic");
        }

        version = BinaryPrimitives.ReadUInt16BigEndian(bytes[4..]);
        if (BinaryPrimitives.ReadUInt16BigEndian(bytes[6..]) != 0)
        {
            ThrowHelper.ThrowBadPreamble("reserved bits set");
        }

        buffer = buffer.Slice(ProtocolConstants.PreambleSize);
        return true;
    }

    /// <summary>Tries to read one frame.</summary>
    /// <param name="buffer">The received bytes; advanced past the frame on success, untouched otherwise.</param>
    /// <param name="maxPayload">The largest payload accepted; checked before the payload is awaited.</param>
    /// <param name="header">The frame header.</param>
    /// <param name="payload">The payload, a slice of <paramref name="buffer"/>: valid until the reader advances.</param>
    /// <returns><see langword="false"/> when the frame is not complete yet.</returns>
    /// <exception cref="ReplicationProtocolException">The header is malformed or the payload too large.</exception>
    public static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, int maxPayload, out FrameHeader header, out ReadOnlySequence<byte> payload)
    {
        payload = default;
        header = default;
        if (buffer.Length < ProtocolConstants.HeaderSize)
        {
            return false;
        }

        var first = buffer.FirstSpan;
        if (first.Length >= ProtocolConstants.HeaderSize)
        {
            header = ParseHeader(first, maxPayload);
        }
        else
        {
            Span<byte> bytes = stackalloc byte[ProtocolConstants.HeaderSize];
            buffer.Slice(0, ProtocolConstants.HeaderSize).CopyTo(bytes);
            header = ParseHeader(bytes, maxPayload);
        }

        long frameLength = ProtocolConstants.HeaderSize + (long)header.PayloadLength;
        if (buffer.Length < frameLength)
        {
            return false;
        }

        payload = buffer.Slice(ProtocolConstants.HeaderSize, header.PayloadLength);
        buffer = buffer.Slice(frameLength);
        return true;
    }

    /// <summary>Parses and checks a header.</summary>
    /// <param name="bytes">At least <see cref="ProtocolConstants.HeaderSize"/> bytes.</param>
    /// <param name="maxPayload">The largest payload accepted.</param>
    /// <returns>The header.</returns>
    /// <exception cref="ReplicationProtocolException">The header is malformed or the payload too large.</exception>
    public static FrameHeader ParseHeader(ReadOnlySpan<byte> bytes, int maxPayload)
    {
        var length = BinaryPrimitives.ReadUInt32BigEndian(bytes[ProtocolConstants.PayloadLengthOffset..]);
        if (length > (uint)maxPayload)
        {
            ThrowHelper.ThrowFrameTooLarge(length, maxPayload);
        }

        var type = bytes[ProtocolConstants.TypeOffset];
        if (type is < (byte)FrameType.Hello or > (byte)FrameType.FileVerifyResult)
        {
            ThrowHelper.ThrowUnknownFrameType(type);
        }

        var flags = bytes[ProtocolConstants.FlagsOffset];
        if (flags > (byte)FrameFlags.Zstd)
        {
            ThrowHelper.ThrowBadHeader($"unknown flags {flags}");
        }

        if (BinaryPrimitives.ReadUInt16BigEndian(bytes[ProtocolConstants.ReservedOffset..]) != 0
            || BinaryPrimitives.ReadUInt32BigEndian(bytes[ProtocolConstants.Reserved2Offset..]) != 0)
        {
            ThrowHelper.ThrowBadHeader("reserved bytes are not zero");
        }

        var offset = BinaryPrimitives.ReadUInt64BigEndian(bytes[ProtocolConstants.OffsetOffset..]);
        var rawLength = BinaryPrimitives.ReadUInt32BigEndian(bytes[ProtocolConstants.RawLengthOffset..]);
        if (offset > long.MaxValue || rawLength > int.MaxValue)
        {
            ThrowHelper.ThrowBadHeader("offset or length out of range");
        }

        var hash = BinaryPrimitives.ReadUInt128BigEndian(bytes[ProtocolConstants.HashOffset..]);
        return new FrameHeader((FrameType)type, (FrameFlags)flags, (int)length, (long)offset, (int)rawLength, hash);
    }
}
