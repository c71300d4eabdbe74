namespace Sms.Replication;

/// <summary>What a finished replication pass did.</summary>
public sealed record ReplicationResult
{
    /// <summary>Whether the pass was full or incremental.</summary>
    /// <value>The mode.</value>
    public required ReplicationMode Mode { get; init; }

    /// <summary>The source size in bytes.</summary>
    /// <value>The size.</value>
    public required long SourceBytes { get; init; }

    /// <summary>The valid bytes of the source: data ranges that are not holes, narrowed to allocated blocks when a file-system map is used.</summary>
    /// <value>The count; at most <see cref="SourceBytes"/>.</value>
    public long ValidBytes { get; init; }

    /// <summary>The bytes read and hashed (valid bytes only: holes and unallocated blocks are not read).</summary>
    /// <value>The count.</value>
    public required long BytesScanned { get; init; }

    /// <summary>The bytes put on the wire, frame headers and handshake included, before TLS.</summary>
    /// <value>The count.</value>
    public required long BytesSent { get; init; }

    /// <summary>The bytes written (or zeroed) on the target.</summary>
    /// <value>The count.</value>
    public required long BytesWritten { get; init; }

    /// <summary>How many blocks changed and were sent.</summary>
    /// <value>The count.</value>
    public required long BlocksSent { get; init; }

    /// <summary>How many blocks were unchanged and skipped.</summary>
    /// <value>The count.</value>
    public required long BlocksUnchanged { get; init; }

    /// <summary>The wall-clock duration of the pass.</summary>
    /// <value>The duration.</value>
    public required TimeSpan Duration { get; init; }

    /// <summary>The result of verification: <see langword="null"/> when not asked for.</summary>
    /// <value><see langword="true"/> when every valid block matched.</value>
    public bool? Verified { get; init; }

    /// <summary>The offsets of blocks that verification found different on the target.</summary>
    /// <value>Empty when none, or when verification did not run.</value>
    public IReadOnlyList<long> MismatchedOffsets { get; init; } = [];

    /// <summary>Why the pass was full when an incremental one was possible in principle (for example "new volume").</summary>
    /// <value>A short reason, or <see langword="null"/>.</value>
    public string? FullReason { get; init; }
}
