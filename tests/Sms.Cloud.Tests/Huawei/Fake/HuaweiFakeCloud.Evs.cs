using System.Globalization;
using System.Text.Json.Nodes;
using Sms.Cloud.Tests.Huawei.Fixtures;

namespace Sms.Cloud.Tests.Huawei.Fake;

/// <summary>EVS: <c>/v2.1/{project_id}/cloudvolumes</c> (create, extend), <c>/v2/{project_id}/cloudvolumes…</c>, <c>cloudsnapshots</c>.</summary>
internal sealed partial class HuaweiFakeCloud
{
    private void MapEvs()
    {
        Map("evs", "POST", "/v2\\.1/{project}/cloudvolumes", CreateVolume);
        Map("evs", "GET", "/v2/{project}/cloudvolumes/detail", ListVolumes);
        Map("evs", "GET", "/v2/{project}/cloudvolumes/(?<id>[^/]+)", ShowVolume);
        Map("evs", "POST", "/v2\\.1/{project}/cloudvolumes/(?<id>[^/]+)/action", ExtendVolume);
        Map("evs", "DELETE", "/v2/{project}/cloudvolumes/(?<id>[^/]+)", DeleteVolume);
        Map("evs", "POST", "/v2/{project}/cloudsnapshots", CreateSnapshot);
        Map("evs", "GET", "/v2/{project}/cloudsnapshots/detail", ListSnapshots);
        Map("evs", "GET", "/v2/{project}/cloudsnapshots/(?<id>[^/]+)", ShowSnapshot);
        Map("evs", "DELETE", "/v2/{project}/cloudsnapshots/(?<id>[^/]+)", DeleteSnapshot);
        Map("evs", "POST", "/v2/{project}/cloudsnapshots/(?<id>[^/]+)/rollback", Rollback);
    }

    private static FakeResponse VolumeNotFound(string id) =>
        new(404, new JsonObject { ["itemNotFound"] = new JsonObject { ["message"] = $"Volume {id} could not be found.", ["code"] = 404 } });

    private FakeResponse CreateVolume(FakeCall call)
    {
        JsonObject? volume = call.Body["volume"] as JsonObject;
        string? az = (string?)volume?["availability_zone"];
        string? type = (string?)volume?["volume_type"];
        int? size = (int?)volume?["size"];
        string name = (string?)volume?["name"] ?? "volume";
        string? snapshotId = (string?)volume?["snapshot_id"];
        if (az is null || type is null || size is null or < 1)
        {
            return FakeResponse.Error(400, "EVS.2001", "Invalid parameter: availability_zone, volume_type and size are required.");
        }

        if (State.VolumeQuota is { } quota && State.Volumes.Count >= quota)
        {
            return FakeResponse.Error(400, "EVS.2024", $"Quota exceeded for resources: ['volumes'] (limit {quota}).");
        }

        if (snapshotId is not null && !State.Snapshots.ContainsKey(snapshotId))
        {
            return FakeResponse.Error(400, "EVS.2003", $"The snapshot {snapshotId} does not exist.");
        }

        FakeVolume fake = NewVolume(name, size.Value, az, type, null, null, bootable: false);
        foreach (KeyValuePair<string, JsonNode?> pair in volume!["metadata"] as JsonObject ?? [])
        {
            fake.Metadata[pair.Key] = (string?)pair.Value ?? string.Empty;
        }

        State.Volumes[fake.Id] = fake;
        FakeJob job = StartJob(
            "evs",
            "createVolume",
            new JsonObject { ["volume_type"] = type, ["size"] = size, ["volume_id"] = fake.Id, ["name"] = name },
            onSuccess: () => fake.Status = "available",
            onFail: () => State.Volumes.Remove(fake.Id));
        fake.CreateJob = job;
        return FakeResponse.Ok(new JsonObject { ["job_id"] = job.Id });
    }

    private FakeResponse ListVolumes(FakeCall call)
    {
        (int limit, int offset) = Paging(call);
        IEnumerable<FakeVolume> all = State.Volumes.Values;
        if (call.Query.TryGetValue("name", out string? name))
        {
            all = all.Where(v => v.Name.Contains(name, StringComparison.Ordinal));
        }

        List<FakeVolume> matching = all.ToList();
        return FakeResponse.Ok(new JsonObject
        {
            ["count"] = matching.Count,
            ["volumes"] = new JsonArray(matching.Skip(offset).Take(limit).Select(v => (JsonNode)RenderVolume(v)).ToArray()),
        });
    }

    private FakeResponse ShowVolume(FakeCall call)
    {
        if (!State.Volumes.TryGetValue(call["id"], out FakeVolume? volume))
        {
            return VolumeNotFound(call["id"]);
        }

        if (volume.Status == "creating" && volume.CreateJob is { Finished: false } job)
        {
            Tick(job);
            if (!State.Volumes.ContainsKey(volume.Id))
            {
                return VolumeNotFound(volume.Id);
            }
        }

        JsonObject body = RenderVolume(volume);
        if (volume.Status == "rollbacking" && volume.StatusAfterRollback is { } after)
        {
            // Answered once as rolling back; the next read finds it done.
            volume.Status = after;
            volume.StatusAfterRollback = null;
        }

        return FakeResponse.Ok(new JsonObject { ["volume"] = body });
    }

    private FakeResponse ExtendVolume(FakeCall call)
    {
        if (!State.Volumes.TryGetValue(call["id"], out FakeVolume? volume))
        {
            return VolumeNotFound(call["id"]);
        }

        int? newSize = (int?)call.Body["os-extend"]?["new_size"];
        if (newSize is null || newSize <= volume.Size)
        {
            return FakeResponse.Error(400, "EVS.2101", "new_size must be larger than the current size.");
        }

        string before = volume.Status;
        volume.Status = "extending";
        FakeJob job = StartJob("evs", "extendVolume", new JsonObject { ["volume_id"] = volume.Id, ["size"] = newSize }, () =>
        {
            volume.Size = newSize.Value;
            volume.Status = before;
        }, () => volume.Status = before);
        return FakeResponse.Ok(new JsonObject { ["job_id"] = job.Id });
    }

    private FakeResponse DeleteVolume(FakeCall call)
    {
        if (!State.Volumes.TryGetValue(call["id"], out FakeVolume? volume))
        {
            return VolumeNotFound(call["id"]);
        }

        if (volume.Status != "available")
        {
            return FakeResponse.Error(400, "EVS.2114", $"The volume is {volume.Status}; only an available volume can be deleted.");
        }

        volume.Status = "deleting";
        FakeJob job = StartJob("evs", "deleteVolume", new JsonObject { ["volume_id"] = volume.Id }, () => State.Volumes.Remove(volume.Id));
        return FakeResponse.Ok(new JsonObject { ["job_id"] = job.Id });
    }

    private FakeResponse CreateSnapshot(FakeCall call)
    {
        string? volumeId = (string?)call.Body["snapshot"]?["volume_id"];
        bool force = (bool?)call.Body["snapshot"]?["force"] ?? false;
        string name = (string?)call.Body["snapshot"]?["name"] ?? "snapshot";
        if (volumeId is null || !State.Volumes.TryGetValue(volumeId, out FakeVolume? volume))
        {
            return FakeResponse.Error(400, "EVS.2003", $"The volume {volumeId} does not exist.");
        }

        if (volume.Status == "in-use" && !force)
        {
            return FakeResponse.Error(400, "EVS.2004", "An attached volume needs force=true.");
        }

        var snapshot = new FakeSnapshot { Id = FakeCloudState.NewId(), Name = name, VolumeId = volumeId, Size = volume.Size };
        State.Snapshots[snapshot.Id] = snapshot;
        return new FakeResponse(202, new JsonObject { ["snapshot"] = RenderSnapshot(snapshot) });
    }

    private FakeResponse ListSnapshots(FakeCall call)
    {
        (int limit, int offset) = Paging(call);
        IEnumerable<FakeSnapshot> all = State.Snapshots.Values;
        if (call.Query.TryGetValue("volume_id", out string? volumeId))
        {
            all = all.Where(s => s.VolumeId == volumeId);
        }

        List<FakeSnapshot> matching = all.ToList();
        return FakeResponse.Ok(new JsonObject
        {
            ["count"] = matching.Count,
            ["snapshots"] = new JsonArray(matching.Skip(offset).Take(limit).Select(s => (JsonNode)RenderSnapshot(s)).ToArray()),
        });
    }

    private FakeResponse ShowSnapshot(FakeCall call)
    {
        if (!State.Snapshots.TryGetValue(call["id"], out FakeSnapshot? snapshot))
        {
            return new FakeResponse(404, JsonNode.Parse(EvsFixtures.SnapshotNotFound));
        }

        JsonObject body = RenderSnapshot(snapshot);
        switch (snapshot.Status)
        {
            case "creating":
                snapshot.Status = "available";
                break;
            case "deleting":
                State.Snapshots.Remove(snapshot.Id);
                break;
        }

        return FakeResponse.Ok(new JsonObject { ["snapshot"] = body });
    }

    private FakeResponse DeleteSnapshot(FakeCall call)
    {
        if (!State.Snapshots.TryGetValue(call["id"], out FakeSnapshot? snapshot))
        {
            return new FakeResponse(404, JsonNode.Parse(EvsFixtures.SnapshotNotFound));
        }

        snapshot.Status = "deleting";
        return new FakeResponse(202, null);
    }

    private FakeResponse Rollback(FakeCall call)
    {
        if (!State.Snapshots.TryGetValue(call["id"], out FakeSnapshot? snapshot))
        {
            return new FakeResponse(404, JsonNode.Parse(EvsFixtures.SnapshotNotFound));
        }

        string? volumeId = (string?)call.Body["rollback"]?["volume_id"];
        if (volumeId is null || volumeId != snapshot.VolumeId || !State.Volumes.TryGetValue(volumeId, out FakeVolume? volume))
        {
            return FakeResponse.Error(400, "EVS.2107", "A snapshot rolls back only to the volume it was taken of.");
        }

        if (snapshot.Status != "available" || volume.Status is not ("available" or "in-use"))
        {
            return FakeResponse.Error(400, "EVS.2108", $"Cannot roll back: snapshot {snapshot.Status}, volume {volume.Status}.");
        }

        volume.StatusAfterRollback = volume.Status;
        volume.Status = "rollbacking";
        return new FakeResponse(202, new JsonObject { ["rollback"] = new JsonObject { ["volume_id"] = volumeId } });
    }

    private static (int Limit, int Offset) Paging(FakeCall call) =>
        (call.Query.TryGetValue("limit", out string? l) ? int.Parse(l, CultureInfo.InvariantCulture) : 1000,
         call.Query.TryGetValue("offset", out string? o) ? int.Parse(o, CultureInfo.InvariantCulture) : 0);

    private static JsonObject RenderVolume(FakeVolume volume)
    {
        JsonObject node = JsonNode.Parse(EvsFixtures.ShowVolumeResponse)!["volume"]!.DeepClone().AsObject();
        node["id"] = volume.Id;
        node["name"] = volume.Name;
        node["status"] = volume.Status;
        node["size"] = volume.Size;
        node["availability_zone"] = volume.AvailabilityZone;
        node["volume_type"] = volume.VolumeType;
        node["bootable"] = volume.Bootable ? "true" : "false";
        node["attachments"] = volume.ServerId is null
            ? new JsonArray()
            : new JsonArray(new JsonObject { ["server_id"] = volume.ServerId, ["device"] = volume.Device, ["volume_id"] = volume.Id, ["id"] = volume.Id });
        JsonObject metadata = node["metadata"]!.AsObject();
        foreach (KeyValuePair<string, string> pair in volume.Metadata)
        {
            metadata[pair.Key] = pair.Value;
        }

        return node;
    }

    private static JsonObject RenderSnapshot(FakeSnapshot snapshot)
    {
        JsonObject node = JsonNode.Parse(EvsFixtures.ShowSnapshotResponse)!["snapshot"]!.DeepClone().AsObject();
        node["id"] = snapshot.Id;
        node["name"] = snapshot.Name;
        node["status"] = snapshot.Status;
        node["volume_id"] = snapshot.VolumeId;
        node["size"] = snapshot.Size;
        node["created_at"] = snapshot.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        return node;
    }
}
