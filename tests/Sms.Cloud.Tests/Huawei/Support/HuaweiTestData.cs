using Sms.Cloud.Tests.Huawei.Fake;

namespace Sms.Cloud.Tests.Huawei.Support;

/// <summary>The ids the fixtures use, and the specs whose requests the fixtures record.</summary>
internal static class HuaweiTestData
{
    public const string VpcId = "3ec3b33f-ac1c-4630-ad1c-7dba1ed79d85";
    public const string SubnetId = "8f8e4a2c-4bb1-4c3e-9a63-2d2e2a7b6c10";
    public const string SecurityGroupId = "0005e3c4-9a2b-4e11-9d0d-51a3a0fa5f2e";
    public const string Zone = "cn-north-4a";
    public const string Flavor = "s6.large.2";

    /// <summary>The spec whose create request is <see cref="Fixtures.EcsFixtures.CreateServerRequest"/>.</summary>
    public static ServerSpec ServerSpec(string? clientToken = null, string name = "sms-target-01") => new()
    {
        Name = name,
        FlavorId = Flavor,
        ImageId = HuaweiFakeCloud.PublicImageId,
        AvailabilityZone = Zone,
        VpcId = VpcId,
        SubnetId = SubnetId,
        SecurityGroupIds = [SecurityGroupId],
        SystemDiskGiB = 40,
        DataDiskGiB = [100, 200],
        Metadata = new Dictionary<string, string> { ["sms-task"] = "task-1" },
        ClientToken = clientToken,
    };

    /// <summary>Puts the fixtures' VPC, subnet and security group in the fake.</summary>
    public static void SeedNetwork(HuaweiFakeCloud fake)
    {
        lock (fake.State.Gate)
        {
            fake.State.Vpcs[VpcId] = new FakeVpc(VpcId, "sms-vpc", "192.168.0.0/16");
            fake.State.Subnets[SubnetId] = new FakeSubnet(SubnetId, "sms-subnet", "192.168.0.0/24", "192.168.0.1", VpcId);
            fake.State.SecurityGroups[SecurityGroupId] = new FakeSecurityGroup { Id = SecurityGroupId, Name = "sg-sms", VpcId = VpcId };
        }
    }
}
