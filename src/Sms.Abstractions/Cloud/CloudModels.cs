using Sms.Discovery;

namespace Sms.Cloud;

/// <summary>What to create a server from.</summary>
public sealed record ServerSpec
{
    /// <summary>The server name.</summary>
    /// <value>1–64 characters.</value>
    public required string Name { get; init; }

    /// <summary>The flavor (instance type) id; see <see cref="IComputeService.ListFlavorsAsync"/>.</summary>
    /// <value>The flavor id.</value>
    public required string FlavorId { get; init; }

    /// <summary>The image the system disk starts from.</summary>
    /// <value>The image id.</value>
    public required string ImageId { get; init; }

    /// <summary>The availability zone.</summary>
    /// <value>The zone.</value>
    public required string AvailabilityZone { get; init; }

    /// <summary>The VPC.</summary>
    /// <value>The VPC id.</value>
    public required string VpcId { get; init; }

    /// <summary>The subnet of the primary NIC.</summary>
    /// <value>The subnet id.</value>
    public required string SubnetId { get; init; }

    /// <summary>The security groups.</summary>
    /// <value>Empty for the provider's default group.</value>
    public IReadOnlyList<string> SecurityGroupIds { get; init; } = [];

    /// <summary>The system disk size in GiB.</summary>
    /// <value>GiB.</value>
    public required int SystemDiskGiB { get; init; }

    /// <summary>The data disks' sizes in GiB, in order.</summary>
    /// <value>Empty for none.</value>
    public IReadOnlyList<int> DataDiskGiB { get; init; } = [];

    /// <summary>How the server boots.</summary>
    /// <value>BIOS or UEFI.</value>
    public FirmwareType Firmware { get; init; } = FirmwareType.Bios;

    /// <summary>Server metadata (the seeds pass the migration's certificate and token this way).</summary>
    /// <value>Key/value pairs; empty by default.</value>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>An idempotency token: creating twice with the same token returns the first server.</summary>
    /// <value>A client token, or <see langword="null"/>.</value>
    public string? ClientToken { get; init; }
}

/// <summary>A volume attached to a server.</summary>
/// <param name="VolumeId">The volume.</param>
/// <param name="Device">The device name (/dev/vda).</param>
/// <param name="BootIndex">0 for the system disk, <see langword="null"/> for data disks.</param>
public sealed record VolumeAttachment(string VolumeId, string Device, int? BootIndex);

/// <summary>A server in a cloud.</summary>
public sealed record CloudServer
{
    /// <summary>The id.</summary>
    /// <value>The provider's id.</value>
    public required string Id { get; init; }

    /// <summary>The name.</summary>
    /// <value>The name.</value>
    public required string Name { get; init; }

    /// <summary>The status.</summary>
    /// <value>ACTIVE, SHUTOFF, BUILD, ERROR…</value>
    public required CloudResourceStatus Status { get; init; }

    /// <summary>The flavor id.</summary>
    /// <value>The flavor.</value>
    public string? FlavorId { get; init; }

    /// <summary>The availability zone.</summary>
    /// <value>The zone.</value>
    public string? AvailabilityZone { get; init; }

    /// <summary>How it boots.</summary>
    /// <value>BIOS or UEFI.</value>
    public FirmwareType Firmware { get; init; }

    /// <summary>The attached volumes, system disk first.</summary>
    /// <value>Empty when none.</value>
    public IReadOnlyList<VolumeAttachment> Volumes { get; init; } = [];

    /// <summary>The IP addresses.</summary>
    /// <value>Empty when none.</value>
    public IReadOnlyList<string> Addresses { get; init; } = [];

    /// <summary>The metadata.</summary>
    /// <value>Empty when none.</value>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether the server is locked against user operations (during a migration).</summary>
    /// <value><see langword="true"/> when locked.</value>
    public bool Locked { get; init; }
}

/// <summary>A flavor (instance type).</summary>
/// <param name="Id">The id.</param>
/// <param name="Vcpus">Virtual CPUs.</param>
/// <param name="MemoryMiB">Memory in MiB.</param>
public sealed record CloudFlavor(string Id, int Vcpus, int MemoryMiB);

/// <summary>What to create a volume from.</summary>
public sealed record VolumeSpec
{
    /// <summary>The name.</summary>
    /// <value>The name.</value>
    public required string Name { get; init; }

    /// <summary>The size in GiB.</summary>
    /// <value>GiB, at least 1.</value>
    public required int SizeGiB { get; init; }

    /// <summary>The availability zone.</summary>
    /// <value>The zone.</value>
    public required string AvailabilityZone { get; init; }

    /// <summary>The volume type (SSD, SAS…).</summary>
    /// <value>The provider's type; <see langword="null"/> for its default.</value>
    public string? VolumeType { get; init; }

    /// <summary>A snapshot to create the volume from.</summary>
    /// <value>The snapshot id, or <see langword="null"/>.</value>
    public string? SnapshotId { get; init; }

    /// <summary>An idempotency token.</summary>
    /// <value>A client token, or <see langword="null"/>.</value>
    public string? ClientToken { get; init; }
}

/// <summary>A block volume (disk).</summary>
public sealed record CloudVolume
{
    /// <summary>The id.</summary>
    /// <value>The id.</value>
    public required string Id { get; init; }

    /// <summary>The name.</summary>
    /// <value>The name.</value>
    public required string Name { get; init; }

    /// <summary>The size in GiB.</summary>
    /// <value>GiB.</value>
    public required int SizeGiB { get; init; }

    /// <summary>The status.</summary>
    /// <value>available, in-use, creating, error…</value>
    public required CloudResourceStatus Status { get; init; }

    /// <summary>The availability zone.</summary>
    /// <value>The zone.</value>
    public string? AvailabilityZone { get; init; }

    /// <summary>The server it is attached to.</summary>
    /// <value>The server id, or <see langword="null"/>.</value>
    public string? AttachedTo { get; init; }

    /// <summary>Where the volume's bytes can be written by a block receiver, for providers that expose one (the local cloud: its file).</summary>
    /// <value>A path, or <see langword="null"/>.</value>
    public string? LocalPath { get; init; }
}

/// <summary>A snapshot of a volume.</summary>
public sealed record CloudSnapshot
{
    /// <summary>The id.</summary>
    /// <value>The id.</value>
    public required string Id { get; init; }

    /// <summary>The volume it was taken of.</summary>
    /// <value>The volume id.</value>
    public required string VolumeId { get; init; }

    /// <summary>The name.</summary>
    /// <value>The name.</value>
    public required string Name { get; init; }

    /// <summary>The status.</summary>
    /// <value>available, creating, error…</value>
    public required CloudResourceStatus Status { get; init; }

    /// <summary>The size in GiB.</summary>
    /// <value>GiB.</value>
    public int SizeGiB { get; init; }

    /// <summary>When it was taken.</summary>
    /// <value>A UTC time.</value>
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A virtual private cloud.</summary>
/// <param name="Id">The id.</param>
/// <param name="Name">The name.</param>
/// <param name="Cidr">The address range.</param>
public sealed record CloudVpc(string Id, string Name, string Cidr);

/// <summary>A subnet of a VPC.</summary>
/// <param name="Id">The id (the network id NICs use).</param>
/// <param name="VpcId">The VPC.</param>
/// <param name="Name">The name.</param>
/// <param name="Cidr">The address range, inside the VPC's.</param>
/// <param name="GatewayIp">The gateway address, inside the subnet.</param>
public sealed record CloudSubnet(string Id, string VpcId, string Name, string Cidr, string GatewayIp);

/// <summary>A security group rule.</summary>
/// <param name="Direction">"ingress" or "egress".</param>
/// <param name="Protocol">"tcp", "udp", "icmp" or <see langword="null"/> for any.</param>
/// <param name="PortMin">The first port, or <see langword="null"/> for any.</param>
/// <param name="PortMax">The last port, or <see langword="null"/> for any.</param>
/// <param name="RemoteCidr">Where traffic may come from (ingress) or go to (egress).</param>
public sealed record SecurityGroupRule(string Direction, string? Protocol, int? PortMin, int? PortMax, string RemoteCidr);

/// <summary>A security group.</summary>
/// <param name="Id">The id.</param>
/// <param name="Name">The name.</param>
/// <param name="VpcId">The VPC, if the provider scopes groups to one.</param>
/// <param name="Rules">The rules.</param>
public sealed record CloudSecurityGroup(string Id, string Name, string? VpcId, IReadOnlyList<SecurityGroupRule> Rules);

/// <summary>An image.</summary>
public sealed record CloudImage
{
    /// <summary>The id.</summary>
    /// <value>The id.</value>
    public required string Id { get; init; }

    /// <summary>The name.</summary>
    /// <value>The name.</value>
    public required string Name { get; init; }

    /// <summary>The status.</summary>
    /// <value>active, queued, saving…</value>
    public required CloudResourceStatus Status { get; init; }

    /// <summary>How servers made from it boot.</summary>
    /// <value>BIOS or UEFI.</value>
    public FirmwareType Firmware { get; init; }

    /// <summary>The minimum system disk in GiB.</summary>
    /// <value>GiB.</value>
    public int MinDiskGiB { get; init; }
}
