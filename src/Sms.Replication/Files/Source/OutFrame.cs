using Sms.Files.Wire;
using Sms.Protocol;

namespace Sms.Files.Source;

/// <summary>A frame waiting for the sender: a payload in a buffer, or a directory to create (coalesced into FileDirs frames).</summary>
internal sealed class OutFrame
{
    private OutFrame(FrameType type)
    {
        Type = type;
    }

    public FrameType Type { get; }

    public FrameFlags Flags { get; set; }

    public long Offset { get; init; }

    public int RawLength { get; set; }

    public UInt128 Hash { get; set; }

    /// <summary>The payload and the manifest changes it carries.</summary>
    public RecordBuffer? Buffer { get; init; }

    /// <summary>Whether <see cref="Buffer"/> goes back to the pool once sent.</summary>
    public bool Pooled { get; init; }

    /// <summary>A directory that must exist before anything sent after it.</summary>
    public string? Directory { get; init; }

    public static OutFrame MkDir(string path) => new(FrameType.FileDirs) { Directory = path };

    public static OutFrame Payload(FrameType type, RecordBuffer buffer, bool pooled, long offset = 0, int rawLength = 0, UInt128 hash = default)
        => new(type) { Buffer = buffer, Pooled = pooled, Offset = offset, RawLength = rawLength, Hash = hash };
}
