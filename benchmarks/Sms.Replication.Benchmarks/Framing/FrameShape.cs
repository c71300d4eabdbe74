namespace Sms.Replication.Benchmarks.Framing;

/// <summary>The frames the framing benchmarks read and write.</summary>
public enum FrameShape
{
    /// <summary>A Zero frame: the 40-byte header alone (what a hole or an all-zero block costs on the wire).</summary>
    HeaderOnly,

    /// <summary>A Block frame with a 1 MiB payload (an uncompressed block at the default block size).</summary>
    Block1MiB,
}
