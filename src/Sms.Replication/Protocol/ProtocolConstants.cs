namespace Sms.Protocol;

/// <summary>
/// The wire format. A connection starts (inside TLS) with an 8-byte preamble from each side, then frames:
/// <code>
/// Preamble (8 bytes, both directions):
///  0       4       6       8
///  +-------+-------+-------+
///  | "SMSR"|version| zero  |
///  +-------+-------+-------+
///
/// Frame header (40 bytes, big-endian), then PayloadLength bytes of payload:
///  0               4       5       6               8
///  +---------------+-------+-------+---------------+
///  | PayloadLength | Type  | Flags |   reserved 0  |
///  +---------------+-------+-------+---------------+
///  8                                              16
///  |          Offset (u64): byte offset / index    |
///  +-----------------------------------------------+
///  16              20              24
///  |  RawLength    |  reserved 0   |
///  +---------------+---------------+---------------+
///  24                                             40
///  |        Hash: XXH128 of the raw block          |
///  +-----------------------------------------------+
/// </code>
/// Control payloads (Hello, HelloAck, EndAck, Error) are UTF-8 JSON of at most <see cref="MaxControlPayload"/> bytes.
/// A payload longer than the negotiated maximum is refused before a byte of it is buffered.
/// </summary>
public static class ProtocolConstants
{
    /// <summary>The preamble magic, "SMSR".</summary>
    public const uint Magic = 0x534D5352;

    /// <summary>The protocol version this build speaks.</summary>
    public const ushort Version = 1;

    /// <summary>The preamble size.</summary>
    public const int PreambleSize = 8;

    /// <summary>The frame header size.</summary>
    public const int HeaderSize = 40;

    /// <summary>The largest control payload (and the limit before the handshake completes).</summary>
    public const int MaxControlPayload = 64 * 1024;

    internal const int PayloadLengthOffset = 0;
    internal const int TypeOffset = 4;
    internal const int FlagsOffset = 5;
    internal const int ReservedOffset = 6;
    internal const int OffsetOffset = 8;
    internal const int RawLengthOffset = 16;
    internal const int Reserved2Offset = 20;
    internal const int HashOffset = 24;
}
