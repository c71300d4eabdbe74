namespace Sms.Protocol;

/// <summary>Frame flags: how a block payload is compressed.</summary>
[Flags]
public enum FrameFlags : byte
{
    /// <summary>The payload is the raw block.</summary>
    None = 0,

    /// <summary>The payload is an LZ4 block.</summary>
    Lz4 = 1,

    /// <summary>The payload is a zstd frame.</summary>
    Zstd = 2,
}
