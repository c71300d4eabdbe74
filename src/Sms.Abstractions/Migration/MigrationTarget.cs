using Sms.Discovery;

namespace Sms.Migration;

/// <summary>A task's configured target server.</summary>
public sealed record MigrationTarget
{
    /// <summary>The cloud provider's name.</summary>
    /// <value>For example <c>local</c>.</value>
    public required string Provider { get; init; }

    /// <summary>The target server.</summary>
    /// <value>The server id.</value>
    public required string ServerId { get; init; }

    /// <summary>The target volume of each source disk, in disk order (block level), or the system volume (file level).</summary>
    /// <value>Volume ids.</value>
    public IReadOnlyList<string> VolumeIds { get; init; } = [];

    /// <summary>Whether the task created the server (and so may delete it) or was given an existing one.</summary>
    /// <value><see langword="true"/> when created.</value>
    public bool CreatedByTask { get; init; }

    /// <summary>The availability zone.</summary>
    /// <value>The zone.</value>
    public string? AvailabilityZone { get; init; }

    /// <summary>The VPC.</summary>
    /// <value>The VPC id.</value>
    public string? VpcId { get; init; }

    /// <summary>The subnet.</summary>
    /// <value>The subnet id.</value>
    public string? SubnetId { get; init; }

    /// <summary>The security group.</summary>
    /// <value>The group id.</value>
    public string? SecurityGroupId { get; init; }

    /// <summary>The flavor.</summary>
    /// <value>The flavor id.</value>
    public string? FlavorId { get; init; }

    /// <summary>How the target boots.</summary>
    /// <value>BIOS or UEFI, as the source.</value>
    public FirmwareType Firmware { get; init; }
}
