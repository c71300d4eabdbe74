using System.Globalization;
using System.Text.Json.Nodes;
using Sms.Cloud.Tests.Huawei.Fixtures;

namespace Sms.Cloud.Tests.Huawei.Fake;

/// <summary>IMS: <c>POST /v2/cloudimages/action</c>, <c>GET /v2/cloudimages</c>, <c>DELETE /v2/images/{id}</c>. Errors use <c>{"error": {…}}</c>.</summary>
internal sealed partial class HuaweiFakeCloud
{
    /// <summary>A public image every fake starts with (the "CentOS 7.6 64bit" of the fixtures).</summary>
    public const string PublicImageId = "67f433d8-ed0e-4321-a8a2-a71838539e09";

    private void MapIms()
    {
        State.Images[PublicImageId] = new FakeImage { Id = PublicImageId, Name = "CentOS 7.6 64bit", Status = "active", MinDisk = 40 };
        Map("ims", "POST", "/v2/cloudimages/action", CreateImage);
        Map("ims", "GET", "/v2/cloudimages", ListImages);
        Map("ims", "DELETE", "/v2/images/(?<id>[^/]+)", call => State.Images.Remove(call["id"])
            ? FakeResponse.NoContent()
            : FakeResponse.Error(404, "IMG.0027", $"The image {call["id"]} does not exist."));
    }

    private FakeResponse CreateImage(FakeCall call)
    {
        string? name = (string?)call.Body["name"];
        string? serverId = (string?)call.Body["instance_id"];
        string? volumeId = (string?)call.Body["volume_id"];
        if (name is null || (serverId is null) == (volumeId is null))
        {
            return FakeResponse.Error(400, "IMG.0001", "name and exactly one of instance_id and volume_id are required.");
        }

        int minDisk;
        string firmware = "bios";
        if (serverId is not null)
        {
            if (!State.Servers.TryGetValue(serverId, out FakeServer? server))
            {
                return FakeResponse.Error(400, "IMG.0058", $"The server {serverId} does not exist.");
            }

            minDisk = State.Volumes.Values.FirstOrDefault(v => v.ServerId == serverId && v.Bootable)?.Size ?? 40;
            firmware = server.Metadata.GetValueOrDefault("sms:firmware", "bios");
        }
        else if (!State.Volumes.TryGetValue(volumeId!, out FakeVolume? volume))
        {
            return FakeResponse.Error(400, "IMG.0059", $"The volume {volumeId} does not exist.");
        }
        else
        {
            minDisk = volume.Size;
        }

        var image = new FakeImage { Id = FakeCloudState.NewId(), Name = name, MinDisk = minDisk, Firmware = firmware, SourceServerId = serverId, SourceVolumeId = volumeId };
        State.Images[image.Id] = image;
        image.Status = "saving";
        FakeJob job = StartJob(
            "ims",
            serverId is null ? "createImageByVolume" : "createImageByInstance",
            new JsonObject { ["image_id"] = image.Id },
            onSuccess: () => image.Status = "active",
            onFail: () => State.Images.Remove(image.Id));
        return FakeResponse.Ok(new JsonObject { ["job_id"] = job.Id });
    }

    private FakeResponse ListImages(FakeCall call)
    {
        IEnumerable<FakeImage> all = State.Images.Values.OrderBy(i => i.Id, StringComparer.Ordinal);
        if (call.Query.TryGetValue("id", out string? id))
        {
            all = all.Where(i => i.Id == id);
        }

        if (call.Query.TryGetValue("marker", out string? marker))
        {
            all = all.Where(i => string.CompareOrdinal(i.Id, marker) > 0);
        }

        int limit = call.Query.TryGetValue("limit", out string? l) ? int.Parse(l, CultureInfo.InvariantCulture) : 500;
        return FakeResponse.Ok(new JsonObject { ["images"] = new JsonArray(all.Take(limit).Select(i => (JsonNode)RenderImage(i)).ToArray()) });
    }

    private static JsonObject RenderImage(FakeImage image)
    {
        JsonObject node = JsonNode.Parse(ImsFixtures.ListImagesResponse)!["images"]![0]!.DeepClone().AsObject();
        node["id"] = image.Id;
        node["name"] = image.Name;
        node["status"] = image.Status;
        node["min_disk"] = image.MinDisk;
        node["hw_firmware_type"] = image.Firmware;
        node["__imagetype"] = image.Id == PublicImageId ? "gold" : "private";
        node["__data_origin"] = image.SourceServerId is { } s ? "instance," + s : image.SourceVolumeId is { } v ? "volume," + v : null;
        return node;
    }
}
