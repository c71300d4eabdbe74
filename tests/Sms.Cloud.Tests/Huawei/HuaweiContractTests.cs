using Microsoft.Extensions.DependencyInjection;
using Sms.Cloud.Tests.Contract;
using Sms.Cloud.Tests.Huawei.Fake;
using Sms.Cloud.Tests.Huawei.Support;

namespace Sms.Cloud.Tests.Huawei;

/// <summary>
/// The provider contract against the Huawei provider as <c>AddHuaweiCloud</c> wires it (signing, resilience, named
/// clients), talking to a fresh in-process fake of ECS, EVS, VPC and IMS per test that verifies every signature.
/// </summary>
public sealed class HuaweiContractTests : CloudProviderContractTests
{
    private HuaweiFakeCloud? _fake;
    private ServiceProvider? _services;

    protected override string AvailabilityZone => HuaweiTestData.Zone;

    protected override string ServerImageId => HuaweiFakeCloud.PublicImageId;

    protected override async Task<ICloudProvider> CreateProviderAsync()
    {
        _fake = await HuaweiFakeCloud.StartAsync();
        _services = new ServiceCollection()
            .AddHuaweiCloud(options => HuaweiTestHarness.Configure(options, _fake))
            .BuildServiceProvider();
        return _services.GetRequiredKeyedService<ICloudProvider>("huaweicloud");
    }

    protected override Task OnOperationPendingAsync(CloudOperation operation) => Task.Delay(5);

    protected override async Task DisposeProviderAsync(ICloudProvider provider)
    {
        await base.DisposeProviderAsync(provider);
        // Every request of the whole contract run: signed, with the project header, a fresh X-Sdk-Date, and a JSON
        // content type exactly when there is a body.
        Assert.All(_fake!.Requests, r =>
        {
            Assert.True(r.SignatureValid, r.ToString());
            Assert.Equal(HuaweiFakeCloud.ProjectId, r.Header("X-Project-Id"));
            Assert.Matches("^[0-9]{8}T[0-9]{6}Z$", r.Header("X-Sdk-Date"));
            Assert.Equal(r.Body.Length > 0, HuaweiFakeCloud.IsJsonUtf8(r.Header("Content-Type")));
        });
        await _services!.DisposeAsync();
        await _fake.DisposeAsync();
    }
}
