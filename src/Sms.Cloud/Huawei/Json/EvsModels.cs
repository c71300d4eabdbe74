using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sms.Cloud.Huawei.Json;

// EVS shapes (API reference C4; Go SDK model_create_volume_option.go, model_volume_detail.go, model_snapshot_details.go,
// model_rollback_info.go, model_os_extend.go).

/// <summary><c>POST /v2.1/{project_id}/cloudvolumes</c>: <c>{"volume": CreateVolumeOption}</c>.</summary>
internal sealed class EvsCreateVolumeRequest
{
    [JsonPropertyName("volume")]
    public required EvsCreateVolumeOption Volume { get; init; }
}

internal sealed class EvsCreateVolumeOption
{
    [JsonPropertyName("availability_zone")]
    public required string AvailabilityZone { get; init; }

    [JsonPropertyName("volume_type")]
    public required string VolumeType { get; init; }

    [JsonPropertyName("size")]
    public required int Size { get; init; }

    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("snapshot_id")]
    public string? SnapshotId { get; init; }

    [JsonPropertyName("metadata")]
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}

internal sealed class EvsVolumeResponse
{
    [JsonPropertyName("volume")]
    public EvsVolume? Volume { get; init; }
}

internal sealed class EvsVolumeListResponse
{
    [JsonPropertyName("count")]
    public int Count { get; init; }

    [JsonPropertyName("volumes")]
    public IReadOnlyList<EvsVolume>? Volumes { get; init; }
}

internal sealed class EvsVolume
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("status")]
    public string? Status { get; init; }

    /// <summary>GB; some SDK models type it as a string, so strings are accepted.</summary>
    [JsonPropertyName("size")]
    public int Size { get; init; }

    [JsonPropertyName("availability_zone")]
    public string? AvailabilityZone { get; init; }

    [JsonPropertyName("volume_type")]
    public string? VolumeType { get; init; }

    [JsonPropertyName("attachments")]
    public IReadOnlyList<EvsAttachment>? Attachments { get; init; }

    /// <summary>Values are strings in practice; the SDK models them as any JSON value.</summary>
    [JsonPropertyName("metadata")]
    public IReadOnlyDictionary<string, JsonElement>? Metadata { get; init; }
}

internal sealed class EvsAttachment
{
    [JsonPropertyName("server_id")]
    public string? ServerId { get; init; }

    [JsonPropertyName("device")]
    public string? Device { get; init; }
}

/// <summary><c>POST /v2.1/{project_id}/cloudvolumes/{volume_id}/action</c>: <c>{"os-extend": {"new_size": N}}</c>.</summary>
internal sealed class EvsExtendRequest
{
    [JsonPropertyName("os-extend")]
    public required EvsExtendOption Extend { get; init; }
}

internal sealed class EvsExtendOption
{
    [JsonPropertyName("new_size")]
    public required int NewSize { get; init; }
}

/// <summary><c>POST /v2/{project_id}/cloudsnapshots</c>: <c>{"snapshot": CreateSnapshotOption}</c>.</summary>
internal sealed class EvsCreateSnapshotRequest
{
    [JsonPropertyName("snapshot")]
    public required EvsCreateSnapshotOption Snapshot { get; init; }
}

internal sealed class EvsCreateSnapshotOption
{
    [JsonPropertyName("volume_id")]
    public required string VolumeId { get; init; }

    /// <summary>Must be true to snapshot an attached volume.</summary>
    [JsonPropertyName("force")]
    public bool Force { get; init; }

    [JsonPropertyName("name")]
    public required string Name { get; init; }
}

internal sealed class EvsSnapshotResponse
{
    [JsonPropertyName("snapshot")]
    public EvsSnapshot? Snapshot { get; init; }
}

internal sealed class EvsSnapshotListResponse
{
    [JsonPropertyName("count")]
    public int Count { get; init; }

    [JsonPropertyName("snapshots")]
    public IReadOnlyList<EvsSnapshot>? Snapshots { get; init; }
}

internal sealed class EvsSnapshot
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("volume_id")]
    public string? VolumeId { get; init; }

    [JsonPropertyName("size")]
    public int Size { get; init; }

    /// <summary>UTC without an offset, for example <c>2016-02-16T16:54:14.981520</c>.</summary>
    [JsonPropertyName("created_at")]
    public string? CreatedAt { get; init; }
}

/// <summary><c>POST /v2/{project_id}/cloudsnapshots/{snapshot_id}/rollback</c>: <c>{"rollback": {"volume_id", "name"}}</c>.</summary>
internal sealed class EvsRollbackRequest
{
    [JsonPropertyName("rollback")]
    public required EvsRollbackOption Rollback { get; init; }
}

internal sealed class EvsRollbackOption
{
    [JsonPropertyName("volume_id")]
    public required string VolumeId { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }
}

internal sealed class EvsRollbackResponse
{
    [JsonPropertyName("rollback")]
    public EvsRollbackOption? Rollback { get; init; }
}
