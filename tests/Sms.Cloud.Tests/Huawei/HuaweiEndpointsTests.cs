using Sms.Cloud.Huawei;

namespace Sms.Cloud.Tests.Huawei;

public sealed class HuaweiEndpointsTests
{
    [Fact]
    public void ForService_EcsInCnNorth4_BuildsDocumentedEndpoint()
    {
        Assert.Equal(new Uri("https://ecs.cn-north-4.myhuaweicloud.com/"), HuaweiEndpoints.ForService("ecs", "cn-north-4"));
    }

    [Fact]
    public void ForService_OtherDomain_UsesIt()
    {
        Assert.Equal(new Uri("https://sms.ae-ad-1.g42cloud.com/"), HuaweiEndpoints.ForService("sms", "ae-ad-1", "g42cloud.com"));
    }

    [Theory]
    [InlineData("", "cn-north-4")]
    [InlineData("ecs", "cn north")]
    [InlineData("ecs.evil", "cn-north-4")]
    [InlineData("ecs", "cn-north-4/x")]
    public void ForService_InvalidLabel_Throws(string service, string region)
    {
        Assert.Throws<ArgumentException>(() => HuaweiEndpoints.ForService(service, region));
    }
}
