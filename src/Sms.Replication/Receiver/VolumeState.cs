namespace Sms.Receiver;

/// <summary>The receiver's bookkeeping for one volume, kept in <c>.sms/NAME.json</c>.</summary>
public sealed record VolumeState
{
    /// <summary>The volume's identity; it changes whenever the content is reset, so stale manifests never match.</summary>
    /// <value>32 hex digits.</value>
    public required string VolumeId { get; init; }

    /// <summary>The boot on which the volume was last written.</summary>
    /// <value>The kernel boot id.</value>
    public string BootId { get; init; } = string.Empty;

    /// <summary>Whether every acknowledged write is durable (the last pass ended and was flushed).</summary>
    /// <value><see langword="true"/> after a completed pass.</value>
    public bool Clean { get; init; }

    /// <summary>The checkpoint of the current or last session: data frames acknowledged.</summary>
    /// <value>A count.</value>
    public long AcknowledgedFrames { get; init; }

    /// <summary>The checkpoint: the end of the highest acknowledged block (blocks arrive in ascending order).</summary>
    /// <value>A byte offset.</value>
    public long AcknowledgedThrough { get; init; }

    /// <summary>The checkpoint: bytes written (or zeroed) in the session.</summary>
    /// <value>Bytes.</value>
    public long BytesWritten { get; init; }

    /// <summary>When the checkpoint was recorded.</summary>
    /// <value>A UTC time.</value>
    public DateTimeOffset UpdatedAt { get; init; }
}
