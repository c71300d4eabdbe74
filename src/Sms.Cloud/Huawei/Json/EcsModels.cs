using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sms.Cloud.Huawei.Json;

// ECS v1 "cloudservers" shapes (API reference C3; Go SDK model_post_paid_server.go, model_server_detail.go,
// model_attach_server_volume_*.go, model_delete_servers_request_body.go, model_flavor.go).

/// <summary><c>POST /v1/{project_id}/cloudservers</c>: <c>{"server": PostPaidServer}</c>.</summary>
internal sealed class EcsCreateServerRequest
{
    [JsonPropertyName("server")]
    public required EcsPostPaidServer Server { get; init; }
}

internal sealed class EcsPostPaidServer
{
    [JsonPropertyName("availability_zone")]
    public required string AvailabilityZone { get; init; }

    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("flavorRef")]
    public required string FlavorRef { get; init; }

    [JsonPropertyName("imageRef")]
    public required string ImageRef { get; init; }

    [JsonPropertyName("vpcid")]
    public required string VpcId { get; init; }

    [JsonPropertyName("nics")]
    public required IReadOnlyList<EcsNic> Nics { get; init; }

    [JsonPropertyName("security_groups")]
    public IReadOnlyList<EcsIdRef>? SecurityGroups { get; init; }

    [JsonPropertyName("root_volume")]
    public required EcsVolumeOption RootVolume { get; init; }

    [JsonPropertyName("data_volumes")]
    public IReadOnlyList<EcsVolumeOption>? DataVolumes { get; init; }

    [JsonPropertyName("metadata")]
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}

internal sealed class EcsNic
{
    [JsonPropertyName("subnet_id")]
    public required string SubnetId { get; init; }
}

internal sealed class EcsIdRef
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }
}

internal sealed class EcsVolumeOption
{
    [JsonPropertyName("volumetype")]
    public required string VolumeType { get; init; }

    [JsonPropertyName("size")]
    public required int Size { get; init; }
}

/// <summary>The answer of every asynchronous ECS/EVS/IMS call: a job id (and, for creates, the new ids).</summary>
internal sealed class HuaweiJobAccepted
{
    [JsonPropertyName("job_id")]
    public string? JobId { get; init; }

    [JsonPropertyName("serverIds")]
    public IReadOnlyList<string>? ServerIds { get; init; }

    [JsonPropertyName("volume_ids")]
    public IReadOnlyList<string>? VolumeIds { get; init; }
}

internal sealed class EcsServerResponse
{
    [JsonPropertyName("server")]
    public EcsServer? Server { get; init; }
}

internal sealed class EcsServerListResponse
{
    [JsonPropertyName("count")]
    public int Count { get; init; }

    [JsonPropertyName("servers")]
    public IReadOnlyList<EcsServer>? Servers { get; init; }
}

internal sealed class EcsServer
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("flavor")]
    public EcsServerFlavor? Flavor { get; init; }

    [JsonPropertyName("OS-EXT-AZ:availability_zone")]
    public string? AvailabilityZone { get; init; }

    [JsonPropertyName("addresses")]
    public IReadOnlyDictionary<string, IReadOnlyList<EcsServerAddress>>? Addresses { get; init; }

    [JsonPropertyName("metadata")]
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    [JsonPropertyName("os-extended-volumes:volumes_attached")]
    public IReadOnlyList<EcsVolumeAttached>? VolumesAttached { get; init; }

    [JsonPropertyName("locked")]
    public bool Locked { get; init; }
}

internal sealed class EcsServerFlavor
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }
}

internal sealed class EcsServerAddress
{
    [JsonPropertyName("addr")]
    public string? Addr { get; init; }
}

internal sealed class EcsVolumeAttached
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("device")]
    public string? Device { get; init; }

    /// <summary>"0" for the boot disk, "-1" (or absent) otherwise.</summary>
    [JsonPropertyName("bootIndex")]
    public string? BootIndex { get; init; }
}

/// <summary><c>POST /v1/{project_id}/cloudservers/action</c> with <c>os-start</c> or <c>os-stop</c>.</summary>
internal sealed class EcsBatchActionRequest
{
    [JsonPropertyName("os-start")]
    public EcsServerBatch? Start { get; init; }

    [JsonPropertyName("os-stop")]
    public EcsServerBatch? Stop { get; init; }
}

internal sealed class EcsServerBatch
{
    [JsonPropertyName("servers")]
    public required IReadOnlyList<EcsIdRef> Servers { get; init; }

    /// <summary>SOFT or HARD, for <c>os-stop</c> only.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; init; }
}

internal sealed class EcsAttachVolumeRequest
{
    [JsonPropertyName("volumeAttachment")]
    public required EcsAttachVolumeOption VolumeAttachment { get; init; }
}

internal sealed class EcsAttachVolumeOption
{
    [JsonPropertyName("volumeId")]
    public required string VolumeId { get; init; }

    [JsonPropertyName("device")]
    public string? Device { get; init; }
}

internal sealed class EcsDeleteServersRequest
{
    [JsonPropertyName("servers")]
    public required IReadOnlyList<EcsIdRef> Servers { get; init; }

    [JsonPropertyName("delete_publicip")]
    public bool DeletePublicIp { get; init; }

    [JsonPropertyName("delete_volume")]
    public bool DeleteVolume { get; init; }
}

/// <summary>
/// <c>{"lock": {}}</c> or <c>{"unlock": {}}</c>: the Nova-style server lock action. Not verified against the stored API
/// reference (the stored ECS SDK meta has no lock operation); see <see cref="Compute.HuaweiComputeService"/>.
/// </summary>
internal sealed class EcsLockActionRequest
{
    [JsonPropertyName("lock")]
    public HuaweiEmptyObject? Lock { get; init; }

    [JsonPropertyName("unlock")]
    public HuaweiEmptyObject? Unlock { get; init; }
}

/// <summary>Serialises as <c>{}</c>.</summary>
internal sealed class HuaweiEmptyObject
{
}

internal sealed class EcsFlavorListResponse
{
    [JsonPropertyName("flavors")]
    public IReadOnlyList<EcsFlavor>? Flavors { get; init; }
}

internal sealed class EcsFlavor
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>A string in the API reference ("2"); numbers are accepted too.</summary>
    [JsonPropertyName("vcpus")]
    public JsonElement Vcpus { get; init; }

    [JsonPropertyName("ram")]
    public int Ram { get; init; }
}
