namespace Sms.Fixups;

/// <summary>What a fix-up did to a path.</summary>
public enum FixupAction
{
    /// <summary>The file was rewritten.</summary>
    Modified,

    /// <summary>The file or directory was created (a backup, a new configuration).</summary>
    Created,

    /// <summary>The file or link was deleted.</summary>
    Deleted,
}

/// <summary>One change a fix-up made.</summary>
public sealed record FixupChange
{
    /// <summary>The path on the target, as the target sees it (a separate <c>/boot</c> included).</summary>
    /// <value>An absolute path.</value>
    public required string Path { get; init; }

    /// <summary>What was done.</summary>
    /// <value>Modified, created or deleted.</value>
    public required FixupAction Action { get; init; }

    /// <summary>What changed, in a line (for example "/dev/sda1 → UUID=… (mount point /)").</summary>
    /// <value>Text.</value>
    public required string Detail { get; init; }
}

/// <summary>Something a fix-up left as it was, and why.</summary>
public sealed record FixupSkip
{
    /// <summary>The path on the target (or what was looked for).</summary>
    /// <value>An absolute path or a short name.</value>
    public required string Path { get; init; }

    /// <summary>Why it was left.</summary>
    /// <value>Text.</value>
    public required string Reason { get; init; }
}

/// <summary>What one fix-up step did.</summary>
public sealed record FixupResult
{
    /// <summary>The step's <see cref="ITargetFixup.Name"/>.</summary>
    /// <value>The name.</value>
    public required string Step { get; init; }

    /// <summary>The changes, in the order they were made.</summary>
    /// <value>Empty when nothing changed.</value>
    public IReadOnlyList<FixupChange> Changes { get; init; } = [];

    /// <summary>What was left alone, with the reason.</summary>
    /// <value>Empty when nothing was skipped.</value>
    public IReadOnlyList<FixupSkip> Skipped { get; init; } = [];

    /// <summary>Why the step failed, when it did (the changes before the failure are listed).</summary>
    /// <value>The error's code and message, or <see langword="null"/> on success.</value>
    public string? Error { get; init; }
}
