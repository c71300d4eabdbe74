namespace Sms.Migration;

/// <summary>The kind of a cloud resource a task created.</summary>
public enum TrackedResourceKind
{
    /// <summary>A server.</summary>
    Server = 0,

    /// <summary>A volume (disk).</summary>
    Volume = 1,

    /// <summary>A volume snapshot.</summary>
    Snapshot = 2,

    /// <summary>An image.</summary>
    Image = 3,

    /// <summary>A VPC.</summary>
    Vpc = 4,

    /// <summary>A subnet.</summary>
    Subnet = 5,

    /// <summary>A security group.</summary>
    SecurityGroup = 6,
}

/// <summary>Why a task created a resource, which decides when it is deleted.</summary>
public enum ResourcePurpose
{
    /// <summary>Part of the target (its server, disks, network): kept after launch, deleted only with the target configuration when asked.</summary>
    Target = 0,

    /// <summary>Scaffolding of one step (a clone's snapshots and image): deleted when the step succeeds, by Cleanup after a failure, and with the task.</summary>
    Temporary = 1,

    /// <summary>A cutover snapshot of a target disk for rollback: replaced at the next launch, kept otherwise.</summary>
    CutoverSnapshot = 2,

    /// <summary>A test server made by Clone, with its disks: kept until deleted with the task when asked.</summary>
    Clone = 3,
}

/// <summary>A cloud resource a task created, recorded before the task relies on it so nothing is ever left behind unknown.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Id">The provider's id.</param>
/// <param name="Purpose">Why it exists.</param>
/// <param name="Provider">The cloud provider it is in.</param>
/// <param name="ParentId">The VPC of a subnet, the volume of a snapshot, or <see langword="null"/>.</param>
public sealed record TrackedResource(TrackedResourceKind Kind, string Id, ResourcePurpose Purpose, string Provider, string? ParentId = null);
