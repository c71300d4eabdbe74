using Sms.Cloud.Huawei.Json;

namespace Sms.Cloud.Huawei.Networks;

/// <summary>Maps VPC shapes to the SDK's models.</summary>
internal static class HuaweiNetworkMapper
{
    public static CloudVpc ToVpc(VpcDetail vpc) => new(vpc.Id ?? string.Empty, vpc.Name ?? string.Empty, vpc.Cidr ?? string.Empty);

    public static CloudSubnet ToSubnet(SubnetDetail subnet) =>
        new(subnet.Id ?? string.Empty, subnet.VpcId ?? string.Empty, subnet.Name ?? string.Empty, subnet.Cidr ?? string.Empty, subnet.GatewayIp ?? string.Empty);

    /// <summary>
    /// A group with the rules the SDK model can express: rules that name a remote group instead of an address range
    /// (the default "same group" ingress rules) are left out; an empty range means any address.
    /// </summary>
    public static CloudSecurityGroup ToSecurityGroup(SecurityGroupDetail group)
    {
        var rules = new List<SecurityGroupRule>();
        foreach (SecurityGroupRuleDetail rule in group.Rules ?? [])
        {
            if (ToRule(rule) is { } mapped)
            {
                rules.Add(mapped);
            }
        }

        return new CloudSecurityGroup(group.Id ?? string.Empty, group.Name ?? string.Empty, string.IsNullOrEmpty(group.VpcId) ? null : group.VpcId, rules);
    }

    public static SecurityGroupRule? ToRule(SecurityGroupRuleDetail rule)
    {
        if (string.IsNullOrEmpty(rule.RemoteIpPrefix) && !string.IsNullOrEmpty(rule.RemoteGroupId))
        {
            return null;
        }

        string anyAddress = string.Equals(rule.Ethertype, "IPv6", StringComparison.OrdinalIgnoreCase) ? "::/0" : "0.0.0.0/0";
        return new SecurityGroupRule(
            rule.Direction ?? "ingress",
            string.IsNullOrEmpty(rule.Protocol) ? null : rule.Protocol,
            rule.PortRangeMin,
            rule.PortRangeMax,
            string.IsNullOrEmpty(rule.RemoteIpPrefix) ? anyAddress : rule.RemoteIpPrefix);
    }

    public static SecurityGroupRuleDetail ToRuleOption(string securityGroupId, SecurityGroupRule rule) => new()
    {
        SecurityGroupId = securityGroupId,
        Direction = rule.Direction,
        Ethertype = rule.RemoteCidr.Contains(':', StringComparison.Ordinal) ? "IPv6" : "IPv4",
        Protocol = rule.Protocol,
        PortRangeMin = rule.PortMin,
        PortRangeMax = rule.PortMax,
        RemoteIpPrefix = rule.RemoteCidr,
    };
}
