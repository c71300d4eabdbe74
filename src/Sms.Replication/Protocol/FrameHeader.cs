namespace Sms.Protocol;

/// <summary>The fixed header in front of every frame.</summary>
/// <param name="Type">The frame type.</param>
/// <param name="Flags">Compression flags.</param>
/// <param name="PayloadLength">The bytes that follow the header.</param>
/// <param name="Offset">A byte offset, block index or count, by type.</param>
/// <param name="RawLength">The uncompressed block length, or a count, by type.</param>
/// <param name="Hash">The XXH128 of the uncompressed block (Block frames).</param>
public readonly record struct FrameHeader(FrameType Type, FrameFlags Flags, int PayloadLength, long Offset, int RawLength, UInt128 Hash);
