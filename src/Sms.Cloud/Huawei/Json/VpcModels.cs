using System.Text.Json.Serialization;

namespace Sms.Cloud.Huawei.Json;

// VPC v1 shapes (API reference C5; Go SDK services/vpc/v2 model_create_subnet_option.go, model_security_group.go,
// model_security_group_rule.go).

internal sealed class VpcCreateRequest
{
    [JsonPropertyName("vpc")]
    public required VpcCreateOption Vpc { get; init; }
}

internal sealed class VpcCreateOption
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("cidr")]
    public required string Cidr { get; init; }
}

internal sealed class VpcResponse
{
    [JsonPropertyName("vpc")]
    public VpcDetail? Vpc { get; init; }
}

internal sealed class VpcListResponse
{
    [JsonPropertyName("vpcs")]
    public IReadOnlyList<VpcDetail>? Vpcs { get; init; }
}

internal sealed class VpcDetail
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("cidr")]
    public string? Cidr { get; init; }

    [JsonPropertyName("status")]
    public string? Status { get; init; }
}

internal sealed class SubnetCreateRequest
{
    [JsonPropertyName("subnet")]
    public required SubnetCreateOption Subnet { get; init; }
}

internal sealed class SubnetCreateOption
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("cidr")]
    public required string Cidr { get; init; }

    [JsonPropertyName("gateway_ip")]
    public required string GatewayIp { get; init; }

    [JsonPropertyName("vpc_id")]
    public required string VpcId { get; init; }
}

internal sealed class SubnetResponse
{
    [JsonPropertyName("subnet")]
    public SubnetDetail? Subnet { get; init; }
}

internal sealed class SubnetListResponse
{
    [JsonPropertyName("subnets")]
    public IReadOnlyList<SubnetDetail>? Subnets { get; init; }
}

internal sealed class SubnetDetail
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("cidr")]
    public string? Cidr { get; init; }

    [JsonPropertyName("gateway_ip")]
    public string? GatewayIp { get; init; }

    [JsonPropertyName("vpc_id")]
    public string? VpcId { get; init; }

    [JsonPropertyName("status")]
    public string? Status { get; init; }
}

internal sealed class SecurityGroupCreateRequest
{
    [JsonPropertyName("security_group")]
    public required SecurityGroupCreateOption SecurityGroup { get; init; }
}

internal sealed class SecurityGroupCreateOption
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("vpc_id")]
    public string? VpcId { get; init; }
}

internal sealed class SecurityGroupResponse
{
    [JsonPropertyName("security_group")]
    public SecurityGroupDetail? SecurityGroup { get; init; }
}

internal sealed class SecurityGroupListResponse
{
    [JsonPropertyName("security_groups")]
    public IReadOnlyList<SecurityGroupDetail>? SecurityGroups { get; init; }
}

internal sealed class SecurityGroupDetail
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("vpc_id")]
    public string? VpcId { get; init; }

    [JsonPropertyName("security_group_rules")]
    public IReadOnlyList<SecurityGroupRuleDetail>? Rules { get; init; }
}

internal sealed class SecurityGroupRuleCreateRequest
{
    [JsonPropertyName("security_group_rule")]
    public required SecurityGroupRuleDetail Rule { get; init; }
}

internal sealed class SecurityGroupRuleResponse
{
    [JsonPropertyName("security_group_rule")]
    public SecurityGroupRuleDetail? Rule { get; init; }
}

/// <summary>A rule, as sent (without <c>id</c>) and as received. Empty protocol or ports mean "any".</summary>
internal sealed class SecurityGroupRuleDetail
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("security_group_id")]
    public string? SecurityGroupId { get; init; }

    [JsonPropertyName("direction")]
    public string? Direction { get; init; }

    [JsonPropertyName("ethertype")]
    public string? Ethertype { get; init; }

    [JsonPropertyName("protocol")]
    public string? Protocol { get; init; }

    [JsonPropertyName("port_range_min")]
    public int? PortRangeMin { get; init; }

    [JsonPropertyName("port_range_max")]
    public int? PortRangeMax { get; init; }

    [JsonPropertyName("remote_ip_prefix")]
    public string? RemoteIpPrefix { get; init; }

    [JsonPropertyName("remote_group_id")]
    public string? RemoteGroupId { get; init; }
}
