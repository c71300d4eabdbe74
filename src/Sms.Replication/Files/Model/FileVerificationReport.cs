namespace Sms.Files;

/// <summary>The result of verifying a file tree, as the seeds' verification result table: what differs, what is missing, what is extra.</summary>
public sealed record FileVerificationReport
{
    /// <summary>How the entries were compared.</summary>
    /// <value>Quick or full.</value>
    public required FileVerifyMode Mode { get; init; }

    /// <summary>How many source entries were checked.</summary>
    /// <value>The count.</value>
    public required long EntriesChecked { get; init; }

    /// <summary>Entries present on both sides that differ (kind, size, modification time or content).</summary>
    /// <value>Relative paths; empty when none.</value>
    public IReadOnlyList<string> Inconsistent { get; init; } = [];

    /// <summary>Source entries that the target lacks.</summary>
    /// <value>Relative paths; empty when none.</value>
    public IReadOnlyList<string> MissingAtTarget { get; init; } = [];

    /// <summary>Target entries the source does not have (a directory is listed once, not its contents).</summary>
    /// <value>Relative paths; empty when none.</value>
    public IReadOnlyList<string> RedundantAtTarget { get; init; } = [];

    /// <summary>Whether the target matches the source.</summary>
    /// <value><see langword="true"/> when all three lists are empty.</value>
    public bool Consistent => Inconsistent.Count == 0 && MissingAtTarget.Count == 0 && RedundantAtTarget.Count == 0;
}
