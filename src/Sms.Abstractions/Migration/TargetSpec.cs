namespace Sms.Migration;

/// <summary>
/// How to configure a task's target: use an existing server (checked: disk count and sizes, firmware, OS type) or
/// create one fitting the source, in a network that is reused or created (its CIDR chosen from the source's address
/// as the seeds do). A server template pre-fills the blanks.
/// </summary>
public sealed record TargetSpec
{
    /// <summary>The cloud provider (its <c>Name</c>, for example <c>local</c> or <c>huaweicloud</c>).</summary>
    /// <value>Default <c>local</c>.</value>
    public string Provider { get; init; } = "local";

    /// <summary>An existing server to migrate into; <see langword="null"/> to create one.</summary>
    /// <value>A server id, or <see langword="null"/>.</value>
    public string? ExistingServerId { get; init; }

    /// <summary>A server template whose fields fill what this spec leaves blank.</summary>
    /// <value>A template name, or <see langword="null"/>.</value>
    public string? ServerTemplate { get; init; }

    /// <summary>The name of a new server.</summary>
    /// <value>Default: the source's name with <c>-target</c>.</value>
    public string? ServerName { get; init; }

    /// <summary>The availability zone of a new server.</summary>
    /// <value>The provider's first zone when <see langword="null"/>.</value>
    public string? AvailabilityZone { get; init; }

    /// <summary>The flavor of a new server.</summary>
    /// <value>The smallest flavor with at least the source's CPUs and memory when <see langword="null"/>.</value>
    public string? FlavorId { get; init; }

    /// <summary>The VPC to use; created when <see langword="null"/>.</summary>
    /// <value>A VPC id, or <see langword="null"/>.</value>
    public string? VpcId { get; init; }

    /// <summary>The subnet to use (in <see cref="VpcId"/>); created when <see langword="null"/>.</summary>
    /// <value>A subnet id, or <see langword="null"/>.</value>
    public string? SubnetId { get; init; }

    /// <summary>The security group to use; created (with the seeds' ports) when <see langword="null"/>.</summary>
    /// <value>A group id, or <see langword="null"/>.</value>
    public string? SecurityGroupId { get; init; }

    /// <summary>The image a new server's system disk starts from (on a real cloud, the provider's migration helper image).</summary>
    /// <value>The local cloud's empty disk when <see langword="null"/>.</value>
    public string? ImageId { get; init; }

    /// <summary>The volume type of new disks.</summary>
    /// <value>The provider's default when <see langword="null"/>.</value>
    public string? VolumeType { get; init; }

    /// <summary>New disks' sizes in GiB, in disk order, when they should be larger than the source's.</summary>
    /// <value>Empty: each disk as large as its source disk, rounded up to a GiB.</value>
    public IReadOnlyList<int> DiskGiB { get; init; } = [];
}
