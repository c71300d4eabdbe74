using Sms.Cloud.Tests.Huawei.Fake;
using Sms.Cloud.Tests.Huawei.Fixtures;
using Sms.Cloud.Tests.Huawei.Support;

namespace Sms.Cloud.Tests.Huawei;

public sealed class HuaweiNetworkServiceTests
{
    private const string P = HuaweiFakeCloud.ProjectId;

    [Fact]
    public async Task VpcAndSubnet_CreateListDelete_UseTheVpcV1Resources()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync(seedNetwork: false);
        INetworkService networks = harness.Provider.Networks;

        // When
        CloudVpc vpc = await networks.CreateVpcAsync("sms-vpc", "192.168.0.0/16");
        CloudSubnet subnet = await networks.CreateSubnetAsync(vpc.Id, "sms-subnet", "192.168.0.0/24", "192.168.0.1");
        IReadOnlyList<CloudVpc> vpcs = await networks.ListVpcsAsync();
        IReadOnlyList<CloudSubnet> subnets = await networks.ListSubnetsAsync(vpc.Id);
        await networks.DeleteSubnetAsync(vpc.Id, subnet.Id);
        await networks.DeleteVpcAsync(vpc.Id);

        // Then
        JsonAssert.Equivalent(VpcFixtures.CreateVpcRequest, Assert.Single(harness.Fake.RequestsTo("vpc", "POST", $"/v1/{P}/vpcs")).Body);
        JsonAssert.Equivalent(VpcFixtures.CreateSubnetRequest.Replace(HuaweiTestData.VpcId, vpc.Id, StringComparison.Ordinal), Assert.Single(harness.Fake.RequestsTo("vpc", "POST", $"/v1/{P}/subnets")).Body);
        Assert.Equal(new CloudVpc(vpc.Id, "sms-vpc", "192.168.0.0/16"), Assert.Single(vpcs));
        Assert.Equal(new CloudSubnet(subnet.Id, vpc.Id, "sms-subnet", "192.168.0.0/24", "192.168.0.1"), Assert.Single(subnets));
        Assert.Equal($"?vpc_id={vpc.Id}", Assert.Single(harness.Fake.RequestsTo("vpc", "GET", $"/v1/{P}/subnets")).Query);
        Assert.Single(harness.Fake.RequestsTo("vpc", "DELETE", $"/v1/{P}/vpcs/{vpc.Id}/subnets/{subnet.Id}"));
        Assert.Single(harness.Fake.RequestsTo("vpc", "DELETE", $"/v1/{P}/vpcs/{vpc.Id}"));
        Assert.Empty(await networks.ListVpcsAsync());
    }

    [Fact]
    public async Task DeleteVpcAsync_WithSubnet_ThrowsConflictParsedFromCodeAndMessage()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();

        // When
        var error = await Assert.ThrowsAsync<CloudRequestFailedException>(() => harness.Provider.Networks.DeleteVpcAsync(HuaweiTestData.VpcId));

        // Then
        Assert.Equal(409, error.Status);
        Assert.Equal("VPC.0106", error.ProviderErrorCode);
        Assert.Equal(SmsErrorCode.ResourceConflict, error.ErrorCode);
        Assert.Contains("still has subnets", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecurityGroups_CreateAddSeedPortsListDelete_UseSecurityGroupResources()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();
        INetworkService networks = harness.Provider.Networks;

        // When
        CloudSecurityGroup group = await networks.CreateSecurityGroupAsync("sg-sms", HuaweiTestData.VpcId);
        foreach (int port in new[] { 22, 8899, 8900 })
        {
            await networks.AddSecurityGroupRuleAsync(group.Id, new SecurityGroupRule("ingress", "tcp", port, port, "10.0.0.0/8"));
        }

        IReadOnlyList<CloudSecurityGroup> groups = await networks.ListSecurityGroupsAsync(HuaweiTestData.VpcId);
        await networks.DeleteSecurityGroupAsync(group.Id);

        // Then
        JsonAssert.Equivalent(VpcFixtures.CreateSecurityGroupRequest, Assert.Single(harness.Fake.RequestsTo("vpc", "POST", $"/v1/{P}/security-groups")).Body);
        IReadOnlyList<FakeRequest> rules = harness.Fake.RequestsTo("vpc", "POST", $"/v1/{P}/security-group-rules");
        Assert.Equal(3, rules.Count);
        JsonAssert.Equivalent(VpcFixtures.CreateRuleRequest.Replace(HuaweiTestData.SecurityGroupId, group.Id, StringComparison.Ordinal), rules[2].Body);
        Assert.Equal(HuaweiTestData.VpcId, group.VpcId);
        Assert.Equal([new SecurityGroupRule("egress", null, null, null, "0.0.0.0/0")], group.Rules);

        CloudSecurityGroup listed = Assert.Single(groups, g => g.Id == group.Id);
        Assert.Equal(
            [new("egress", null, null, null, "0.0.0.0/0"), new("ingress", "tcp", 22, 22, "10.0.0.0/8"), new("ingress", "tcp", 8899, 8899, "10.0.0.0/8"), new("ingress", "tcp", 8900, 8900, "10.0.0.0/8")],
            listed.Rules);
        Assert.Equal($"?vpc_id={HuaweiTestData.VpcId}", Assert.Single(harness.Fake.RequestsTo("vpc", "GET", $"/v1/{P}/security-groups")).Query);
        Assert.Single(harness.Fake.RequestsTo("vpc", "DELETE", $"/v1/{P}/security-groups/{group.Id}"));
    }
}
