using System.Text.Json.Serialization;

namespace Sms.Cloud.Huawei.Json;

// IMS shapes (API reference C6; Go SDK services/ims/v2 model_create_image_request_body.go, ims_meta.go).

/// <summary><c>POST /v2/cloudimages/action</c>: a system-disk image from a server (<c>instance_id</c>) or a volume (<c>volume_id</c>).</summary>
internal sealed class ImsCreateImageRequest
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("instance_id")]
    public string? InstanceId { get; init; }

    [JsonPropertyName("volume_id")]
    public string? VolumeId { get; init; }

    [JsonPropertyName("type")]
    public string? Type { get; init; }
}

internal sealed class ImsImageListResponse
{
    [JsonPropertyName("images")]
    public IReadOnlyList<ImsImage>? Images { get; init; }
}

internal sealed class ImsImage
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>queued, saving, active, killed, deleted.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("min_disk")]
    public int MinDisk { get; init; }

    /// <summary>bios or uefi; absent means BIOS.</summary>
    [JsonPropertyName("hw_firmware_type")]
    public string? FirmwareType { get; init; }
}
