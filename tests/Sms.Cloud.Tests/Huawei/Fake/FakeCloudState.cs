using System.Text.Json.Nodes;

namespace Sms.Cloud.Tests.Huawei.Fake;

/// <summary>The fake's in-memory cloud. Every access happens under <see cref="Gate"/>.</summary>
internal sealed class FakeCloudState
{
    public object Gate { get; } = new();

    public Dictionary<string, FakeServer> Servers { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, FakeVolume> Volumes { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, FakeSnapshot> Snapshots { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, FakeVpc> Vpcs { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, FakeSubnet> Subnets { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, FakeSecurityGroup> SecurityGroups { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, FakeImage> Images { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, FakeJob> Jobs { get; } = new(StringComparer.Ordinal);

    /// <summary>How many volumes the project may hold (an EVS quota); <see langword="null"/> for no limit.</summary>
    public int? VolumeQuota { get; set; }

    public static string NewId() => Guid.NewGuid().ToString();

    public static string NewJobId() => Guid.NewGuid().ToString("N");
}

internal sealed class FakeServer
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string Status { get; set; } = "BUILD";
    public required string FlavorId { get; init; }
    public required string AvailabilityZone { get; init; }
    public required string VpcId { get; init; }
    public required string Address { get; init; }
    public Dictionary<string, string> Metadata { get; init; } = new(StringComparer.Ordinal);
    public bool Locked { get; set; }

    /// <summary>The job creating it: reading a server that is still being built lets time pass for that job too.</summary>
    public FakeJob? CreateJob { get; set; }
}

internal sealed class FakeVolume
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public int Size { get; set; }
    public string Status { get; set; } = "creating";
    public required string AvailabilityZone { get; init; }
    public required string VolumeType { get; init; }
    public string? ServerId { get; set; }
    public string? Device { get; set; }
    public bool Bootable { get; init; }
    public Dictionary<string, string> Metadata { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The job creating it: reading a volume that is still being created lets time pass for that job too.</summary>
    public FakeJob? CreateJob { get; set; }

    /// <summary>The status a rollback returns the volume to.</summary>
    public string? StatusAfterRollback { get; set; }
}

internal sealed class FakeSnapshot
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string VolumeId { get; init; }
    public int Size { get; init; }
    public string Status { get; set; } = "creating";
    public DateTime CreatedAt { get; init; } = DateTime.UtcNow;
}

internal sealed record FakeVpc(string Id, string Name, string Cidr);

internal sealed record FakeSubnet(string Id, string Name, string Cidr, string GatewayIp, string VpcId);

internal sealed class FakeSecurityGroup
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? VpcId { get; init; }
    public List<JsonObject> Rules { get; } = [];
}

internal sealed class FakeImage
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string Status { get; set; } = "queued";
    public int MinDisk { get; init; }
    public string Firmware { get; init; } = "bios";
    public string? SourceServerId { get; init; }
    public string? SourceVolumeId { get; init; }
}

/// <summary>
/// A job walking INIT → RUNNING → SUCCESS (or FAIL): each poll answers the current status and moves one step on; the
/// effect (or the failure's clean-up) is applied when the terminal status is first answered.
/// </summary>
internal sealed class FakeJob
{
    public required string Id { get; init; }
    public required string Service { get; init; }
    public required string Type { get; init; }
    public required JsonObject Entities { get; init; }
    public List<string> Statuses { get; init; } = ["INIT", "RUNNING", "SUCCESS"];
    public int Position { get; set; }
    public string? ErrorCode { get; init; }
    public string? FailReason { get; init; }
    public Action? OnSuccess { get; init; }
    public Action? OnFail { get; init; }
    public bool Finished { get; set; }
    public List<string> Answered { get; } = [];
}
