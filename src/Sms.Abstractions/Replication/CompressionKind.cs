namespace Sms.Replication;

/// <summary>How blocks are compressed on the wire. A block is sent compressed only when that makes it smaller.</summary>
public enum CompressionKind
{
    /// <summary>No compression.</summary>
    None = 0,

    /// <summary>LZ4 (fast; the default).</summary>
    Lz4 = 1,

    /// <summary>Zstandard level 1 (smaller, slower; for narrow links).</summary>
    Zstd = 2,
}
