using System.Text.Json.Nodes;
using Sms.Cloud.Tests.Huawei.Fixtures;

namespace Sms.Cloud.Tests.Huawei.Fake;

/// <summary>VPC v1: <c>/v1/{project_id}/vpcs|subnets|security-groups|security-group-rules</c>. Errors use <c>{"code", "message"}</c>.</summary>
internal sealed partial class HuaweiFakeCloud
{
    private void MapVpc()
    {
        Map("vpc", "POST", "/v1/{project}/vpcs", CreateVpc);
        Map("vpc", "GET", "/v1/{project}/vpcs", _ => FakeResponse.Ok(new JsonObject { ["vpcs"] = new JsonArray(State.Vpcs.Values.Select(v => (JsonNode)RenderVpc(v)).ToArray()) }));
        Map("vpc", "DELETE", "/v1/{project}/vpcs/(?<id>[^/]+)", DeleteVpc);
        Map("vpc", "POST", "/v1/{project}/subnets", CreateSubnet);
        Map("vpc", "GET", "/v1/{project}/subnets", call => FakeResponse.Ok(new JsonObject
        {
            ["subnets"] = new JsonArray(State.Subnets.Values.Where(s => !call.Query.TryGetValue("vpc_id", out string? vpc) || s.VpcId == vpc).Select(s => (JsonNode)RenderSubnet(s)).ToArray()),
        }));
        Map("vpc", "DELETE", "/v1/{project}/vpcs/(?<vpc>[^/]+)/subnets/(?<id>[^/]+)", DeleteSubnet);
        Map("vpc", "POST", "/v1/{project}/security-groups", CreateSecurityGroup);
        Map("vpc", "GET", "/v1/{project}/security-groups", call => FakeResponse.Ok(new JsonObject
        {
            ["security_groups"] = new JsonArray(State.SecurityGroups.Values.Where(g => !call.Query.TryGetValue("vpc_id", out string? vpc) || g.VpcId == vpc).Select(g => (JsonNode)RenderGroup(g)).ToArray()),
        }));
        Map("vpc", "DELETE", "/v1/{project}/security-groups/(?<id>[^/]+)", DeleteSecurityGroup);
        Map("vpc", "POST", "/v1/{project}/security-group-rules", CreateRule);
    }

    private static FakeResponse VpcError(int status, string code, string message) =>
        new(status, new JsonObject { ["code"] = code, ["message"] = message });

    private FakeResponse CreateVpc(FakeCall call)
    {
        string? name = (string?)call.Body["vpc"]?["name"];
        string? cidr = (string?)call.Body["vpc"]?["cidr"];
        if (name is null || cidr is null)
        {
            return VpcError(400, "VPC.0002", "name and cidr are required.");
        }

        var vpc = new FakeVpc(FakeCloudState.NewId(), name, cidr);
        State.Vpcs[vpc.Id] = vpc;
        return FakeResponse.Ok(new JsonObject { ["vpc"] = RenderVpc(vpc) });
    }

    private FakeResponse DeleteVpc(FakeCall call)
    {
        if (!State.Vpcs.ContainsKey(call["id"]))
        {
            return VpcError(404, "VPC.0202", $"The VPC {call["id"]} does not exist.");
        }

        if (State.Subnets.Values.Any(s => s.VpcId == call["id"]))
        {
            return VpcError(409, "VPC.0106", "The VPC still has subnets.");
        }

        State.Vpcs.Remove(call["id"]);
        return FakeResponse.NoContent();
    }

    private FakeResponse CreateSubnet(FakeCall call)
    {
        JsonNode? subnet = call.Body["subnet"];
        string? name = (string?)subnet?["name"];
        string? cidr = (string?)subnet?["cidr"];
        string? gateway = (string?)subnet?["gateway_ip"];
        string? vpcId = (string?)subnet?["vpc_id"];
        if (name is null || cidr is null || gateway is null || vpcId is null)
        {
            return VpcError(400, "VPC.0002", "name, cidr, gateway_ip and vpc_id are required.");
        }

        if (!State.Vpcs.ContainsKey(vpcId))
        {
            return VpcError(404, "VPC.0202", $"The VPC {vpcId} does not exist.");
        }

        var created = new FakeSubnet(FakeCloudState.NewId(), name, cidr, gateway, vpcId);
        State.Subnets[created.Id] = created;
        return FakeResponse.Ok(new JsonObject { ["subnet"] = RenderSubnet(created) });
    }

    private FakeResponse DeleteSubnet(FakeCall call)
    {
        if (!State.Subnets.TryGetValue(call["id"], out FakeSubnet? subnet) || subnet.VpcId != call["vpc"])
        {
            return VpcError(404, "VPC.0301", $"The subnet {call["id"]} does not exist in VPC {call["vpc"]}.");
        }

        State.Subnets.Remove(subnet.Id);
        return FakeResponse.NoContent();
    }

    private FakeResponse CreateSecurityGroup(FakeCall call)
    {
        string? name = (string?)call.Body["security_group"]?["name"];
        string? vpcId = (string?)call.Body["security_group"]?["vpc_id"];
        if (name is null)
        {
            return VpcError(400, "VPC.0002", "name is required.");
        }

        var group = new FakeSecurityGroup { Id = FakeCloudState.NewId(), Name = name, VpcId = vpcId };
        foreach (JsonNode? rule in JsonNode.Parse(VpcFixtures.SecurityGroup)!["security_group"]!["security_group_rules"]!.AsArray())
        {
            JsonObject copy = rule!.DeepClone().AsObject();
            copy["id"] = FakeCloudState.NewId();
            copy["security_group_id"] = group.Id;
            if (copy["remote_group_id"] is not null)
            {
                copy["remote_group_id"] = group.Id;
            }

            group.Rules.Add(copy);
        }

        State.SecurityGroups[group.Id] = group;
        return FakeResponse.Ok(new JsonObject { ["security_group"] = RenderGroup(group) });
    }

    private FakeResponse DeleteSecurityGroup(FakeCall call)
    {
        if (!State.SecurityGroups.Remove(call["id"]))
        {
            return VpcError(404, "VPC.0601", $"The security group {call["id"]} does not exist.");
        }

        return FakeResponse.NoContent();
    }

    private FakeResponse CreateRule(FakeCall call)
    {
        if (call.Body["security_group_rule"] is not JsonObject rule || (string?)rule["security_group_id"] is not { } groupId || (string?)rule["direction"] is not ("ingress" or "egress"))
        {
            return VpcError(400, "VPC.0002", "security_group_id and direction are required.");
        }

        if (!State.SecurityGroups.TryGetValue(groupId, out FakeSecurityGroup? group))
        {
            return VpcError(404, "VPC.0601", $"The security group {groupId} does not exist.");
        }

        JsonObject created = JsonNode.Parse(VpcFixtures.Rule)!["security_group_rule"]!.DeepClone().AsObject();
        foreach (KeyValuePair<string, JsonNode?> pair in rule)
        {
            created[pair.Key] = pair.Value?.DeepClone();
        }

        created["id"] = FakeCloudState.NewId();
        group.Rules.Add(created);
        return FakeResponse.Ok(new JsonObject { ["security_group_rule"] = created.DeepClone() });
    }

    private static JsonObject RenderVpc(FakeVpc vpc)
    {
        JsonObject node = JsonNode.Parse(VpcFixtures.Vpc)!["vpc"]!.DeepClone().AsObject();
        node["id"] = vpc.Id;
        node["name"] = vpc.Name;
        node["cidr"] = vpc.Cidr;
        node["status"] = "OK";
        return node;
    }

    private static JsonObject RenderSubnet(FakeSubnet subnet)
    {
        JsonObject node = JsonNode.Parse(VpcFixtures.Subnet)!["subnet"]!.DeepClone().AsObject();
        node["id"] = subnet.Id;
        node["name"] = subnet.Name;
        node["cidr"] = subnet.Cidr;
        node["gateway_ip"] = subnet.GatewayIp;
        node["vpc_id"] = subnet.VpcId;
        node["neutron_network_id"] = subnet.Id;
        node["status"] = "ACTIVE";
        return node;
    }

    private static JsonObject RenderGroup(FakeSecurityGroup group)
    {
        JsonObject node = JsonNode.Parse(VpcFixtures.SecurityGroup)!["security_group"]!.DeepClone().AsObject();
        node["id"] = group.Id;
        node["name"] = group.Name;
        node["vpc_id"] = group.VpcId;
        node["security_group_rules"] = new JsonArray(group.Rules.Select(r => r.DeepClone()).ToArray());
        return node;
    }
}
