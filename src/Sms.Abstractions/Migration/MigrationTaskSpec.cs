namespace Sms.Migration;

/// <summary>What to create a migration task from.</summary>
public sealed record MigrationTaskSpec
{
    /// <summary>The task name.</summary>
    /// <value>Default: the source's host name.</value>
    public string? Name { get; init; }

    /// <summary>Block or file level.</summary>
    /// <value>Default block level.</value>
    public MigrationKind Kind { get; init; }

    /// <summary>Block level: the source disks (devices or image files), system disk first.</summary>
    /// <value>Empty for a file-level task.</value>
    public IReadOnlyList<string> Disks { get; init; } = [];

    /// <summary>File level: the directory to migrate.</summary>
    /// <value><see langword="null"/> for a block-level task.</value>
    public string? RootDirectory { get; init; }

    /// <summary>The source server's shape; read from this host when <see langword="null"/> (the agent runs on the source).</summary>
    /// <value>A description, or <see langword="null"/>.</value>
    public SourceServer? Server { get; init; }

    /// <summary>A migration template whose settings are the starting point; <see cref="Settings"/> overrides it.</summary>
    /// <value>A template name, or <see langword="null"/> for the default template if there is one.</value>
    public string? MigrationTemplate { get; init; }

    /// <summary>The settings; <see langword="null"/> for the template's (or the defaults).</summary>
    /// <value>Settings, or <see langword="null"/>.</value>
    public MigrationSettings? Settings { get; init; }
}
