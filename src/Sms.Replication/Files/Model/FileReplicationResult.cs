using Sms.Replication;

namespace Sms.Files;

/// <summary>What a finished file-level replication pass did.</summary>
public sealed record FileReplicationResult
{
    /// <summary>Whether the pass was full (an empty target) or incremental.</summary>
    /// <value>The mode.</value>
    public required ReplicationMode Mode { get; init; }

    /// <summary>How many entries (files, directories, links, nodes) the walk found, exclusions left out.</summary>
    /// <value>The count.</value>
    public required long EntriesScanned { get; init; }

    /// <summary>How many entries the exclusion patterns left out (an excluded directory counts once).</summary>
    /// <value>The count.</value>
    public long EntriesExcluded { get; init; }

    /// <summary>The file bytes read and hashed on the source.</summary>
    /// <value>Bytes.</value>
    public required long BytesScanned { get; init; }

    /// <summary>The bytes put on the wire, frame headers and handshake included, before TLS.</summary>
    /// <value>Bytes.</value>
    public required long BytesSent { get; init; }

    /// <summary>The file bytes written on the target (holes and unchanged chunks are not written).</summary>
    /// <value>Bytes.</value>
    public required long BytesWritten { get; init; }

    /// <summary>Regular files whose content was sent (whole, or their changed chunks).</summary>
    /// <value>The count.</value>
    public long FilesSent { get; init; }

    /// <summary>Other entries created or replaced: directories, symbolic links, hard links, FIFOs, device nodes.</summary>
    /// <value>The count.</value>
    public long EntriesCreated { get; init; }

    /// <summary>Entries whose content was unchanged but whose metadata (mode, owner, times, xattrs) was applied.</summary>
    /// <value>The count.</value>
    public long MetadataOnly { get; init; }

    /// <summary>Entries deleted on the target because they vanished from the source (a directory counts once).</summary>
    /// <value>The count.</value>
    public long Deleted { get; init; }

    /// <summary>Entries left alone because nothing changed.</summary>
    /// <value>The count.</value>
    public long Unchanged { get; init; }

    /// <summary>Files that changed while they were read and were read again.</summary>
    /// <value>The count.</value>
    public long ChangedDuringRead { get; init; }

    /// <summary>The wall-clock duration of the pass.</summary>
    /// <value>The duration.</value>
    public required TimeSpan Duration { get; init; }

    /// <summary>The result of verification: <see langword="null"/> when not asked for.</summary>
    /// <value><see langword="true"/> when the target matched.</value>
    public bool? Verified => Verification?.Consistent;

    /// <summary>The verification report, when verification ran.</summary>
    /// <value>The report, or <see langword="null"/>.</value>
    public FileVerificationReport? Verification { get; init; }

    /// <summary>Why the pass was full when an incremental one was possible in principle.</summary>
    /// <value>A short reason, or <see langword="null"/>.</value>
    public string? FullReason { get; init; }
}
