using Sms.Cloud.Huawei.Http;
using Sms.Cloud.Huawei.Json;
using static Sms.Cloud.Huawei.Http.HuaweiPath;

namespace Sms.Cloud.Huawei.Networks;

/// <summary>VPCs, subnets, security groups and their rules over the VPC v1 API (synchronous calls, no jobs).</summary>
internal sealed class HuaweiNetworkService : INetworkService
{
    private readonly HuaweiApiClient _api;

    public HuaweiNetworkService(HuaweiApiClient api)
    {
        _api = api;
    }

    private string Project => E(_api.ProjectId);

    public async Task<CloudVpc> CreateVpcAsync(string name, string cidr, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(cidr);
        var body = new VpcCreateRequest { Vpc = new VpcCreateOption { Name = name, Cidr = cidr } };
        string path = $"v1/{Project}/vpcs";
        var request = new HuaweiRequest(HuaweiServices.Vpc, HttpMethod.Post, path) { Body = HuaweiApiClient.Json(body, HuaweiJsonContext.Default.VpcCreateRequest) };
        (VpcResponse response, string? requestId) = await _api.SendAsync(request, HuaweiJsonContext.Default.VpcResponse, cancellationToken).ConfigureAwait(false);
        return HuaweiNetworkMapper.ToVpc(response.Vpc ?? throw HuaweiErrors.UnexpectedResponse(HuaweiServices.Vpc, "/" + path, "a vpc", requestId));
    }

    public async Task<IReadOnlyList<CloudVpc>> ListVpcsAsync(CancellationToken cancellationToken = default)
    {
        (VpcListResponse response, _) = await _api.SendAsync(new HuaweiRequest(HuaweiServices.Vpc, HttpMethod.Get, $"v1/{Project}/vpcs"), HuaweiJsonContext.Default.VpcListResponse, cancellationToken).ConfigureAwait(false);
        return (response.Vpcs ?? []).Select(HuaweiNetworkMapper.ToVpc).ToList();
    }

    public async Task DeleteVpcAsync(string vpcId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vpcId);
        await _api.SendAsync(new HuaweiRequest(HuaweiServices.Vpc, HttpMethod.Delete, $"v1/{Project}/vpcs/{E(vpcId)}"), cancellationToken).ConfigureAwait(false);
    }

    public async Task<CloudSubnet> CreateSubnetAsync(string vpcId, string name, string cidr, string gatewayIp, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vpcId);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(cidr);
        ArgumentException.ThrowIfNullOrWhiteSpace(gatewayIp);
        var body = new SubnetCreateRequest { Subnet = new SubnetCreateOption { Name = name, Cidr = cidr, GatewayIp = gatewayIp, VpcId = vpcId } };
        string path = $"v1/{Project}/subnets";
        var request = new HuaweiRequest(HuaweiServices.Vpc, HttpMethod.Post, path) { Body = HuaweiApiClient.Json(body, HuaweiJsonContext.Default.SubnetCreateRequest) };
        (SubnetResponse response, string? requestId) = await _api.SendAsync(request, HuaweiJsonContext.Default.SubnetResponse, cancellationToken).ConfigureAwait(false);
        return HuaweiNetworkMapper.ToSubnet(response.Subnet ?? throw HuaweiErrors.UnexpectedResponse(HuaweiServices.Vpc, "/" + path, "a subnet", requestId));
    }

    public async Task<IReadOnlyList<CloudSubnet>> ListSubnetsAsync(string vpcId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vpcId);
        (SubnetListResponse response, _) = await _api.SendAsync(new HuaweiRequest(HuaweiServices.Vpc, HttpMethod.Get, $"v1/{Project}/subnets?vpc_id={E(vpcId)}"), HuaweiJsonContext.Default.SubnetListResponse, cancellationToken).ConfigureAwait(false);
        return (response.Subnets ?? []).Select(HuaweiNetworkMapper.ToSubnet).ToList();
    }

    public async Task DeleteSubnetAsync(string vpcId, string subnetId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vpcId);
        ArgumentException.ThrowIfNullOrWhiteSpace(subnetId);
        await _api.SendAsync(new HuaweiRequest(HuaweiServices.Vpc, HttpMethod.Delete, $"v1/{Project}/vpcs/{E(vpcId)}/subnets/{E(subnetId)}"), cancellationToken).ConfigureAwait(false);
    }

    public async Task<CloudSecurityGroup> CreateSecurityGroupAsync(string name, string? vpcId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var body = new SecurityGroupCreateRequest { SecurityGroup = new SecurityGroupCreateOption { Name = name, VpcId = string.IsNullOrEmpty(vpcId) ? null : vpcId } };
        string path = $"v1/{Project}/security-groups";
        var request = new HuaweiRequest(HuaweiServices.Vpc, HttpMethod.Post, path) { Body = HuaweiApiClient.Json(body, HuaweiJsonContext.Default.SecurityGroupCreateRequest) };
        (SecurityGroupResponse response, string? requestId) = await _api.SendAsync(request, HuaweiJsonContext.Default.SecurityGroupResponse, cancellationToken).ConfigureAwait(false);
        return HuaweiNetworkMapper.ToSecurityGroup(response.SecurityGroup ?? throw HuaweiErrors.UnexpectedResponse(HuaweiServices.Vpc, "/" + path, "a security_group", requestId));
    }

    public async Task AddSecurityGroupRuleAsync(string securityGroupId, SecurityGroupRule rule, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(securityGroupId);
        ArgumentNullException.ThrowIfNull(rule);
        var body = new SecurityGroupRuleCreateRequest { Rule = HuaweiNetworkMapper.ToRuleOption(securityGroupId, rule) };
        var request = new HuaweiRequest(HuaweiServices.Vpc, HttpMethod.Post, $"v1/{Project}/security-group-rules")
        {
            Body = HuaweiApiClient.Json(body, HuaweiJsonContext.Default.SecurityGroupRuleCreateRequest),
        };
        await _api.SendAsync(request, HuaweiJsonContext.Default.SecurityGroupRuleResponse, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<CloudSecurityGroup>> ListSecurityGroupsAsync(string? vpcId = null, CancellationToken cancellationToken = default)
    {
        string path = $"v1/{Project}/security-groups" + (string.IsNullOrEmpty(vpcId) ? string.Empty : "?vpc_id=" + E(vpcId));
        (SecurityGroupListResponse response, _) = await _api.SendAsync(new HuaweiRequest(HuaweiServices.Vpc, HttpMethod.Get, path), HuaweiJsonContext.Default.SecurityGroupListResponse, cancellationToken).ConfigureAwait(false);
        return (response.SecurityGroups ?? []).Select(HuaweiNetworkMapper.ToSecurityGroup).ToList();
    }

    public async Task DeleteSecurityGroupAsync(string securityGroupId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(securityGroupId);
        await _api.SendAsync(new HuaweiRequest(HuaweiServices.Vpc, HttpMethod.Delete, $"v1/{Project}/security-groups/{E(securityGroupId)}"), cancellationToken).ConfigureAwait(false);
    }
}
