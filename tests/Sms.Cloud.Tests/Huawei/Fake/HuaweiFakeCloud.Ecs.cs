using System.Globalization;
using System.Text.Json.Nodes;
using Sms.Cloud.Tests.Huawei.Fixtures;

namespace Sms.Cloud.Tests.Huawei.Fake;

/// <summary>ECS: <c>/v1/{project_id}/cloudservers…</c>.</summary>
internal sealed partial class HuaweiFakeCloud
{
    private void MapEcs()
    {
        Map("ecs", "GET", "/v1/{project}/cloudservers/flavors", _ => FakeResponse.Ok(JsonNode.Parse(EcsFixtures.ListFlavorsResponse)!));
        Map("ecs", "GET", "/v1/{project}/cloudservers/detail", ListServers);
        Map("ecs", "POST", "/v1/{project}/cloudservers", CreateServer);
        Map("ecs", "POST", "/v1/{project}/cloudservers/action", BatchAction);
        Map("ecs", "POST", "/v1/{project}/cloudservers/delete", DeleteServers);
        Map("ecs", "GET", "/v1/{project}/cloudservers/(?<id>[^/]+)", ShowServer);
        Map("ecs", "POST", "/v1/{project}/cloudservers/(?<id>[^/]+)/action", LockAction);
        Map("ecs", "POST", "/v1/{project}/cloudservers/(?<id>[^/]+)/attachvolume", AttachVolume);
        Map("ecs", "DELETE", "/v1/{project}/cloudservers/(?<id>[^/]+)/detachvolume/(?<volume>[^/]+)", DetachVolume);
    }

    private static FakeResponse ServerNotFound(string id) =>
        FakeResponse.Error(404, "Ecs.0114", $"Instance[{id}] could not be found.");

    private static FakeResponse Locked(string id) =>
        FakeResponse.Error(409, "Ecs.0104", $"Instance[{id}] is locked.");

    private FakeResponse ShowServer(FakeCall call)
    {
        if (!State.Servers.TryGetValue(call["id"], out FakeServer? server))
        {
            return ServerNotFound(call["id"]);
        }

        if (server.Status == "BUILD" && server.CreateJob is { Finished: false } job)
        {
            Tick(job);
        }

        return State.Servers.ContainsKey(server.Id) ? FakeResponse.Ok(new JsonObject { ["server"] = RenderServer(server) }) : ServerNotFound(server.Id);
    }

    private FakeResponse CreateServer(FakeCall call)
    {
        JsonObject? server = call.Body["server"] as JsonObject;
        string? name = (string?)server?["name"];
        string? flavor = (string?)server?["flavorRef"];
        string? image = (string?)server?["imageRef"];
        string? vpcId = (string?)server?["vpcid"];
        string? az = (string?)server?["availability_zone"];
        string? subnetId = (string?)server?["nics"]?[0]?["subnet_id"];
        int? rootSize = (int?)server?["root_volume"]?["size"];
        string? rootType = (string?)server?["root_volume"]?["volumetype"];
        if (server is null || name is null || flavor is null || image is null || vpcId is null || az is null || subnetId is null || rootSize is null || rootType is null)
        {
            return FakeResponse.Error(400, "Ecs.0005", "Request body is invalid: a required parameter is missing.");
        }

        if (!State.Vpcs.ContainsKey(vpcId) || !State.Subnets.TryGetValue(subnetId, out FakeSubnet? subnet) || subnet.VpcId != vpcId)
        {
            return FakeResponse.Error(400, "Ecs.0023", "The subnet does not belong to the VPC.");
        }

        if (!State.Images.TryGetValue(image, out FakeImage? fakeImage) || fakeImage.Status != "active")
        {
            return FakeResponse.Error(400, "Ecs.0019", $"The image {image} is not available.");
        }

        if (JsonNode.Parse(EcsFixtures.ListFlavorsResponse)!["flavors"]!.AsArray().All(f => (string?)f!["id"] != flavor))
        {
            return FakeResponse.Error(400, "Ecs.0021", $"The flavor {flavor} does not exist.");
        }

        string id = FakeCloudState.NewId();
        var fake = new FakeServer
        {
            Id = id,
            Name = name,
            FlavorId = flavor,
            AvailabilityZone = az,
            VpcId = vpcId,
            Address = "192.168.0." + (10 + State.Servers.Count).ToString(CultureInfo.InvariantCulture),
            Metadata = (server["metadata"] as JsonObject)?.ToDictionary(p => p.Key, p => (string?)p.Value ?? string.Empty, StringComparer.Ordinal) ?? new(StringComparer.Ordinal),
        };
        State.Servers[id] = fake;

        var disks = new List<FakeVolume> { NewVolume(name + "-volume-0000", rootSize.Value, az, rootType, id, "/dev/vda", bootable: true) };
        int index = 1;
        foreach (JsonNode? data in server["data_volumes"] as JsonArray ?? [])
        {
            disks.Add(NewVolume($"{name}-volume-{index:D4}", (int)data!["size"]!, az, (string?)data["volumetype"] ?? rootType, id, "/dev/vd" + (char)('a' + index), bootable: false));
            index++;
        }

        foreach (FakeVolume disk in disks)
        {
            State.Volumes[disk.Id] = disk;
        }

        FakeJob job = StartJob(
            "ecs",
            "createServer",
            new JsonObject { ["server_id"] = id },
            onSuccess: () =>
            {
                fake.Status = "ACTIVE";
                disks.ForEach(d => d.Status = "in-use");
            },
            onFail: () =>
            {
                State.Servers.Remove(id);
                disks.ForEach(d => State.Volumes.Remove(d.Id));
            });
        fake.CreateJob = job;
        return FakeResponse.Ok(new JsonObject { ["job_id"] = job.Id, ["serverIds"] = new JsonArray(id) });
    }

    private FakeResponse ListServers(FakeCall call)
    {
        int limit = call.Query.TryGetValue("limit", out string? l) ? int.Parse(l, CultureInfo.InvariantCulture) : 25;
        int page = call.Query.TryGetValue("offset", out string? o) ? int.Parse(o, CultureInfo.InvariantCulture) : 1;
        IEnumerable<FakeServer> all = State.Servers.Values;
        if (call.Query.TryGetValue("name", out string? name))
        {
            all = all.Where(s => s.Name.Contains(name, StringComparison.Ordinal));
        }

        List<FakeServer> matching = all.ToList();
        var servers = new JsonArray(matching.Skip((page - 1) * limit).Take(limit).Select(s => (JsonNode)RenderServer(s)).ToArray());
        return FakeResponse.Ok(new JsonObject { ["count"] = matching.Count, ["servers"] = servers });
    }

    private FakeResponse BatchAction(FakeCall call)
    {
        bool start = call.Body["os-start"] is JsonObject;
        JsonObject? action = (call.Body["os-start"] ?? call.Body["os-stop"]) as JsonObject;
        if (action?["servers"] is not JsonArray { Count: > 0 } servers)
        {
            return FakeResponse.Error(400, "Ecs.0005", "Request body is invalid.");
        }

        var targets = new List<FakeServer>();
        foreach (JsonNode? entry in servers)
        {
            string id = (string?)entry?["id"] ?? string.Empty;
            if (!State.Servers.TryGetValue(id, out FakeServer? server))
            {
                return ServerNotFound(id);
            }

            if (server.Locked)
            {
                return Locked(id);
            }

            targets.Add(server);
        }

        FakeJob job = StartJob("ecs", start ? "batchStartServers" : "batchStopServers", new JsonObject { ["server_id"] = targets[0].Id }, () => targets.ForEach(s => s.Status = start ? "ACTIVE" : "SHUTOFF"));
        return FakeResponse.Ok(new JsonObject { ["job_id"] = job.Id });
    }

    private FakeResponse DeleteServers(FakeCall call)
    {
        if (call.Body["servers"] is not JsonArray { Count: > 0 } servers)
        {
            return FakeResponse.Error(400, "Ecs.0005", "Request body is invalid.");
        }

        bool deleteVolumes = (bool?)call.Body["delete_volume"] ?? false;
        var targets = new List<FakeServer>();
        foreach (JsonNode? entry in servers)
        {
            string id = (string?)entry?["id"] ?? string.Empty;
            if (!State.Servers.TryGetValue(id, out FakeServer? server))
            {
                return ServerNotFound(id);
            }

            if (server.Locked)
            {
                return Locked(id);
            }

            targets.Add(server);
        }

        FakeJob job = StartJob("ecs", "deleteServers", new JsonObject { ["server_id"] = targets[0].Id }, () =>
        {
            foreach (FakeServer server in targets)
            {
                State.Servers.Remove(server.Id);
                foreach (FakeVolume volume in State.Volumes.Values.Where(v => v.ServerId == server.Id).ToList())
                {
                    if (volume.Bootable || deleteVolumes)
                    {
                        State.Volumes.Remove(volume.Id);
                    }
                    else
                    {
                        volume.ServerId = null;
                        volume.Device = null;
                        volume.Status = "available";
                    }
                }
            }
        });
        return FakeResponse.Ok(new JsonObject { ["job_id"] = job.Id });
    }

    private FakeResponse LockAction(FakeCall call)
    {
        if (!State.Servers.TryGetValue(call["id"], out FakeServer? server))
        {
            return ServerNotFound(call["id"]);
        }

        if (call.Body.ContainsKey("lock"))
        {
            server.Locked = true;
        }
        else if (call.Body.ContainsKey("unlock"))
        {
            server.Locked = false;
        }
        else
        {
            return FakeResponse.Error(400, "Ecs.0005", "Unsupported server action.");
        }

        return new FakeResponse(202, null);
    }

    private FakeResponse AttachVolume(FakeCall call)
    {
        string serverId = call["id"];
        string? volumeId = (string?)call.Body["volumeAttachment"]?["volumeId"];
        string? device = (string?)call.Body["volumeAttachment"]?["device"];
        if (!State.Servers.TryGetValue(serverId, out FakeServer? server))
        {
            return ServerNotFound(serverId);
        }

        if (server.Locked)
        {
            return Locked(serverId);
        }

        if (volumeId is null || !State.Volumes.TryGetValue(volumeId, out FakeVolume? volume))
        {
            return FakeResponse.Error(404, "Ecs.0207", $"The volume {volumeId} does not exist.");
        }

        if (volume.Status != "available")
        {
            return FakeResponse.Error(400, "Ecs.0210", $"The volume {volumeId} is {volume.Status}, not available.");
        }

        var used = State.Volumes.Values.Where(v => v.ServerId == serverId).Select(v => v.Device).ToHashSet();
        device ??= Enumerable.Range(1, 25).Select(i => "/dev/vd" + (char)('a' + i)).First(d => !used.Contains(d));
        volume.Status = "attaching";
        FakeJob job = StartJob("ecs", "attachVolume", new JsonObject { ["server_id"] = serverId, ["volume_id"] = volumeId }, () =>
        {
            volume.Status = "in-use";
            volume.ServerId = serverId;
            volume.Device = device;
        });
        return FakeResponse.Ok(new JsonObject { ["job_id"] = job.Id });
    }

    private FakeResponse DetachVolume(FakeCall call)
    {
        string serverId = call["id"];
        string volumeId = call["volume"];
        if (!State.Servers.TryGetValue(serverId, out FakeServer? server))
        {
            return ServerNotFound(serverId);
        }

        if (server.Locked)
        {
            return Locked(serverId);
        }

        if (!State.Volumes.TryGetValue(volumeId, out FakeVolume? volume) || volume.ServerId != serverId)
        {
            return FakeResponse.Error(400, "Ecs.0211", $"The volume {volumeId} is not attached to {serverId}.");
        }

        volume.Status = "detaching";
        FakeJob job = StartJob("ecs", "detachVolume", new JsonObject { ["server_id"] = serverId, ["volume_id"] = volumeId }, () =>
        {
            volume.Status = "available";
            volume.ServerId = null;
            volume.Device = null;
        });
        return FakeResponse.Ok(new JsonObject { ["job_id"] = job.Id });
    }

    private JsonObject RenderServer(FakeServer server)
    {
        JsonObject node = JsonNode.Parse(EcsFixtures.ShowServerResponse)!["server"]!.DeepClone().AsObject();
        node["id"] = server.Id;
        node["name"] = server.Name;
        node["status"] = server.Status;
        node["locked"] = server.Locked;
        node["flavor"]!["id"] = server.FlavorId;
        node["flavor"]!["name"] = server.FlavorId;
        node["OS-EXT-AZ:availability_zone"] = server.AvailabilityZone;
        node["OS-EXT-STS:vm_state"] = server.Status.ToLowerInvariant();
        node["OS-EXT-SRV-ATTR:hostname"] = server.Name;
        node["addresses"] = new JsonObject
        {
            [server.VpcId] = new JsonArray(new JsonObject { ["version"] = "4", ["addr"] = server.Address, ["OS-EXT-IPS:type"] = "fixed" }),
        };
        JsonObject metadata = node["metadata"]!.AsObject();
        metadata["vpc_id"] = server.VpcId;
        foreach (KeyValuePair<string, string> pair in server.Metadata)
        {
            metadata[pair.Key] = pair.Value;
        }

        node["os-extended-volumes:volumes_attached"] = new JsonArray(State.Volumes.Values
            .Where(v => v.ServerId == server.Id)
            .OrderBy(v => v.Device, StringComparer.Ordinal)
            .Select(v => (JsonNode)new JsonObject
            {
                ["id"] = v.Id,
                ["delete_on_termination"] = v.Bootable ? "true" : "false",
                ["bootIndex"] = v.Bootable ? "0" : "-1",
                ["device"] = v.Device,
            })
            .ToArray());
        return node;
    }

    private static FakeVolume NewVolume(string name, int size, string az, string type, string? serverId, string? device, bool bootable) => new()
    {
        Id = FakeCloudState.NewId(),
        Name = name,
        Size = size,
        AvailabilityZone = az,
        VolumeType = type,
        ServerId = serverId,
        Device = device,
        Bootable = bootable,
    };
}
