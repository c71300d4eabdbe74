namespace Sms.Cloud.Tests.Local;

public sealed class LocalNetworkTests : LocalCloudTestBase
{
    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.1/16")]
    [InlineData("10.0.0.0/30")]
    [InlineData("10.0/16")]
    [InlineData("fd00::/48")]
    [InlineData("not-a-cidr")]
    public async Task CreateVpc_InvalidCidr_Refused400(string cidr)
    {
        var error = await AssertFailsAsync(SmsErrorCode.CloudRequestFailed, () => Cloud.Networks.CreateVpcAsync("vpc", cidr));

        Assert.Equal((400, "request.invalid"), (error.Status, error.ProviderErrorCode));
    }

    [Theory]
    [InlineData("10.1.0.0/24", "10.1.0.1")] // outside the VPC
    [InlineData("10.0.0.0/8", "10.0.0.1")] // larger than the VPC
    [InlineData("10.0.5.0/24", "10.0.6.1")] // gateway outside the subnet
    [InlineData("10.0.5.0/24", "10.0.5.0")] // gateway is the network address
    [InlineData("10.0.5.0/24", "10.0.5.255")] // gateway is the broadcast address
    [InlineData("10.0.5.0/24", "10.0.5")]
    public async Task CreateSubnet_OutsideTheVpcOrBadGateway_Refused400(string cidr, string gateway)
    {
        var vpc = await Cloud.Networks.CreateVpcAsync("vpc", "10.0.0.0/16");

        var error = await AssertFailsAsync(SmsErrorCode.CloudRequestFailed, () => Cloud.Networks.CreateSubnetAsync(vpc.Id, "subnet", cidr, gateway));

        Assert.Equal(400, error.Status);
        Assert.Empty(await Cloud.Networks.ListSubnetsAsync(vpc.Id));
    }

    [Theory]
    [InlineData("10.0.1.0/24")]
    [InlineData("10.0.1.128/25")]
    [InlineData("10.0.0.0/23")]
    public async Task CreateSubnet_OverlappingAnother_Conflict(string cidr)
    {
        var vpc = await Cloud.Networks.CreateVpcAsync("vpc", "10.0.0.0/16");
        await Cloud.Networks.CreateSubnetAsync(vpc.Id, "first", "10.0.1.0/24", "10.0.1.1");
        var gateway = cidr.Replace("/23", string.Empty, StringComparison.Ordinal).Replace("/24", string.Empty, StringComparison.Ordinal).Replace(".128/25", ".129", StringComparison.Ordinal);
        gateway = gateway.EndsWith(".0", StringComparison.Ordinal) ? gateway[..^1] + "1" : gateway;

        var error = await AssertFailsAsync(SmsErrorCode.ResourceConflict, () => Cloud.Networks.CreateSubnetAsync(vpc.Id, "second", cidr, gateway));

        Assert.Contains("overlaps", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateSubnet_AdjacentRanges_BothAccepted()
    {
        var vpc = await Cloud.Networks.CreateVpcAsync("vpc", "10.0.0.0/16");

        await Cloud.Networks.CreateSubnetAsync(vpc.Id, "a", "10.0.0.0/24", "10.0.0.1");
        await Cloud.Networks.CreateSubnetAsync(vpc.Id, "b", "10.0.1.0/24", "10.0.1.1");

        Assert.Equal(2, (await Cloud.Networks.ListSubnetsAsync(vpc.Id)).Count);
    }

    [Fact]
    public async Task Delete_VpcWithSubnetOrSubnetWithServerOrGroupInUse_Conflict()
    {
        var network = await CreateNetworkAsync();
        var group = await Cloud.Networks.CreateSecurityGroupAsync("sg", network.Vpc.Id);
        await CompleteAsync(await Cloud.Compute.StartCreateServerAsync(ServerSpecFor(network, []) with { SecurityGroupIds = [group.Id] }));

        await AssertFailsAsync(SmsErrorCode.ResourceConflict, () => Cloud.Networks.DeleteVpcAsync(network.Vpc.Id));
        await AssertFailsAsync(SmsErrorCode.ResourceConflict, () => Cloud.Networks.DeleteSubnetAsync(network.Vpc.Id, network.Subnet.Id));
        await AssertFailsAsync(SmsErrorCode.ResourceConflict, () => Cloud.Networks.DeleteSecurityGroupAsync(group.Id));
        await AssertFailsAsync(SmsErrorCode.ResourceNotFound, () => Cloud.Networks.DeleteSubnetAsync(Guid.NewGuid().ToString(), network.Subnet.Id));
    }

    [Fact]
    public async Task AddRule_NormalizedAndDuplicateRefused()
    {
        var group = await Cloud.Networks.CreateSecurityGroupAsync("sg", null);

        await Cloud.Networks.AddSecurityGroupRuleAsync(group.Id, new SecurityGroupRule("INGRESS", "TCP", 22, null, "0.0.0.0/0"));
        await Cloud.Networks.AddSecurityGroupRuleAsync(group.Id, new SecurityGroupRule("ingress", "icmp", null, null, "0.0.0.0/0"));
        await Cloud.Networks.AddSecurityGroupRuleAsync(group.Id, new SecurityGroupRule("egress", null, null, null, "::/0"));
        var duplicate = await AssertFailsAsync(SmsErrorCode.ResourceConflict, () => Cloud.Networks.AddSecurityGroupRuleAsync(group.Id, new SecurityGroupRule("ingress", "tcp", 22, 22, "0.0.0.0/0")));

        Assert.Equal("rule.exists", duplicate.ProviderErrorCode);
        var rules = Assert.Single(await Cloud.Networks.ListSecurityGroupsAsync()).Rules;
        Assert.Equal(new SecurityGroupRule("ingress", "tcp", 22, 22, "0.0.0.0/0"), rules[0]);
        Assert.Equal(3, rules.Count);
    }

    [Theory]
    [InlineData("sideways", "tcp", 22, 22, "0.0.0.0/0")]
    [InlineData("ingress", "sctp", 22, 22, "0.0.0.0/0")]
    [InlineData("ingress", "icmp", 22, 22, "0.0.0.0/0")]
    [InlineData("ingress", "tcp", 9000, 8000, "0.0.0.0/0")]
    [InlineData("ingress", "tcp", 0, 22, "0.0.0.0/0")]
    [InlineData("ingress", "tcp", 22, 70000, "0.0.0.0/0")]
    [InlineData("ingress", "tcp", 22, 22, "10.0.0.1/8")]
    public async Task AddRule_Invalid_Refused400(string direction, string protocol, int min, int max, string remote)
    {
        var group = await Cloud.Networks.CreateSecurityGroupAsync("sg", null);

        var error = await AssertFailsAsync(SmsErrorCode.CloudRequestFailed, () => Cloud.Networks.AddSecurityGroupRuleAsync(group.Id, new SecurityGroupRule(direction, protocol, min, max, remote)));

        Assert.Equal(400, error.Status);
    }
}
