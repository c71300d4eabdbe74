namespace Sms.Migration;

/// <summary>
/// A migration template (the seeds' Configurations → Migration Templates): settings that pre-fill new tasks. The one
/// marked default applies when a task names none.
/// </summary>
public sealed record MigrationTemplate
{
    /// <summary>The name; it cannot change once created.</summary>
    /// <value>1–64 characters.</value>
    public required string Name { get; init; }

    /// <summary>A description.</summary>
    /// <value>Free text.</value>
    public string? Description { get; init; }

    /// <summary>The migration method.</summary>
    /// <value>Block or file level.</value>
    public MigrationKind Kind { get; init; }

    /// <summary>The settings new tasks start from.</summary>
    /// <value>The settings.</value>
    public MigrationSettings Settings { get; init; } = new();

    /// <summary>Whether new tasks use it when they name no template.</summary>
    /// <value><see langword="true"/> for the default template.</value>
    public bool IsDefault { get; init; }
}

/// <summary>
/// A server template (the seeds' Configurations → Server Templates): where and how new target servers are made.
/// </summary>
public sealed record ServerTemplate
{
    /// <summary>The name.</summary>
    /// <value>1–64 characters.</value>
    public required string Name { get; init; }

    /// <summary>The cloud provider.</summary>
    /// <value>Default <c>local</c>.</value>
    public string Provider { get; init; } = "local";

    /// <summary>The availability zone (the seeds default to a random one).</summary>
    /// <value>A zone, or <see langword="null"/>.</value>
    public string? AvailabilityZone { get; init; }

    /// <summary>The VPC; created when <see langword="null"/>.</summary>
    /// <value>A VPC id, or <see langword="null"/>.</value>
    public string? VpcId { get; init; }

    /// <summary>The subnet; created when <see langword="null"/>.</summary>
    /// <value>A subnet id, or <see langword="null"/>.</value>
    public string? SubnetId { get; init; }

    /// <summary>The security group; created when <see langword="null"/>.</summary>
    /// <value>A group id, or <see langword="null"/>.</value>
    public string? SecurityGroupId { get; init; }

    /// <summary>The flavor.</summary>
    /// <value>A flavor id, or <see langword="null"/> to fit the source.</value>
    public string? FlavorId { get; init; }

    /// <summary>The data disk type (the seeds: Common I/O, High I/O, Ultra-high I/O).</summary>
    /// <value>A volume type, or <see langword="null"/>.</value>
    public string? VolumeType { get; init; }
}
