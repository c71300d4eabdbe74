using System.Globalization;
using System.Text.Json;
using Sms.Cloud.Huawei.Json;

namespace Sms.Cloud.Huawei.Volumes;

/// <summary>Maps EVS volume and snapshot shapes to the SDK's models.</summary>
internal static class HuaweiVolumeMapper
{
    public static CloudVolume ToVolume(EvsVolume volume) => new()
    {
        Id = volume.Id ?? string.Empty,
        Name = volume.Name ?? string.Empty,
        SizeGiB = volume.Size,
        Status = new CloudResourceStatus(volume.Status ?? "unknown"),
        AvailabilityZone = volume.AvailabilityZone,
        AttachedTo = volume.Attachments is [var first, ..] && !string.IsNullOrEmpty(first.ServerId) ? first.ServerId : null,
    };

    public static CloudSnapshot ToSnapshot(EvsSnapshot snapshot) => new()
    {
        Id = snapshot.Id ?? string.Empty,
        VolumeId = snapshot.VolumeId ?? string.Empty,
        Name = snapshot.Name ?? string.Empty,
        Status = new CloudResourceStatus(snapshot.Status ?? "unknown"),
        SizeGiB = snapshot.Size,
        CreatedAt = ParseTime(snapshot.CreatedAt),
    };

    public static string? ClientTokenOf(EvsVolume volume) =>
        volume.Metadata is { } metadata && metadata.TryGetValue(HuaweiClientTokens.MetadataKey, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>EVS times are UTC without an offset (<c>2016-02-16T16:54:14.981520</c>).</summary>
    private static DateTimeOffset ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset time)
            ? time
            : default;
}
