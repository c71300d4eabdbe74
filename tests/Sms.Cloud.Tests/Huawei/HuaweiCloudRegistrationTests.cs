using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Sms.Cloud.Huawei;
using Sms.Cloud.Tests.Huawei.Fake;
using Sms.Cloud.Tests.Huawei.Support;

namespace Sms.Cloud.Tests.Huawei;

public sealed class HuaweiCloudRegistrationTests
{
    private const string P = HuaweiFakeCloud.ProjectId;

    [Fact]
    public async Task AddHuaweiCloud_Twice_RegistersOnceAndRetriesAreNotDoubled()
    {
        // Given
        await using HuaweiFakeCloud fake = await HuaweiFakeCloud.StartAsync();
        var services = new ServiceCollection();

        // When
        services.AddHuaweiCloud(o => HuaweiTestHarness.Configure(o, fake));
        services.AddHuaweiCloud(o => o.MaxRetryAttempts = 2);
        await using ServiceProvider provider = services.BuildServiceProvider();

        // Then
        Assert.Single(services, d => d.ServiceType == typeof(HuaweiCloudProvider));
        Assert.Single(services, d => d.ServiceType == typeof(ICloudProvider) && !d.IsKeyedService);
        Assert.Single(services, d => d.ServiceType == typeof(ICloudProvider) && d.IsKeyedService && Equals(d.ServiceKey, "huaweicloud"));
        var huawei = provider.GetRequiredService<HuaweiCloudProvider>();
        Assert.Same(huawei, provider.GetRequiredService<ICloudProvider>());
        Assert.Same(huawei, provider.GetRequiredKeyedService<ICloudProvider>(HuaweiCloudProvider.ProviderName));
        Assert.Equal("huaweicloud", huawei.Name);

        fake.InjectFault("vpc", "GET", $"/v1/{P}/vpcs", 503, times: 20);
        await Assert.ThrowsAsync<CloudRequestFailedException>(() => huawei.Networks.ListVpcsAsync());
        Assert.Equal(3, fake.RequestsTo("vpc", "GET", $"/v1/{P}/vpcs").Count);
    }

    [Fact]
    public async Task StartAsync_MissingAccessKey_FailsTheHostWithoutPrintingTheSecret()
    {
        // Given
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Services.AddHuaweiCloud(o =>
        {
            o.Region = "cn-north-4";
            o.ProjectId = P;
            o.SecretKey = HuaweiFakeCloud.SecretKey;
        });
        using IHost host = builder.Build();

        // When
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        // Then
        Assert.Contains("Sms:HuaweiCloud:AccessKey is required.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(HuaweiFakeCloud.SecretKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_CompleteOptions_StartsTheHost()
    {
        // Given
        await using HuaweiFakeCloud fake = await HuaweiFakeCloud.StartAsync();
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Services.AddHuaweiCloud(o => HuaweiTestHarness.Configure(o, fake));
        using IHost host = builder.Build();

        // When
        await host.StartAsync();

        // Then
        Assert.Empty(await host.Services.GetRequiredKeyedService<ICloudProvider>("huaweicloud").Networks.ListVpcsAsync());
        await host.StopAsync();
    }

    [Fact]
    public void Validate_EverythingMissingOrWrong_NamesEachSettingButNoValue()
    {
        // Given
        var options = new HuaweiCloudOptions { Region = "cn north 4", SecretKey = "   ", SecurityToken = " ", PollInterval = TimeSpan.Zero };
        options.Endpoints["ecs"] = new Uri("ftp://example.invalid/");

        // When
        ValidateOptionsResult result = new HuaweiCloudOptionsValidator().Validate(null, options);

        // Then
        Assert.True(result.Failed);
        Assert.Equal(
            [
                "Sms:HuaweiCloud:Region 'cn north 4' is not a valid region id.",
                "Sms:HuaweiCloud:ProjectId is required.",
                "Sms:HuaweiCloud:AccessKey is required.",
                "Sms:HuaweiCloud:SecretKey is required.",
                "Sms:HuaweiCloud:SecurityToken must be null or a token, not blank.",
                "Sms:HuaweiCloud:Endpoints:ecs must be an absolute http(s) URI.",
                "Sms:HuaweiCloud:PollInterval must be positive and at most MaxPollInterval.",
            ],
            result.Failures);
    }

    [Fact]
    public void GetEndpoint_NoOverride_IsTheRegionalEndpoint()
    {
        // Given
        var options = new HuaweiCloudOptions { Region = "cn-north-4" };
        options.Endpoints["ims"] = new Uri("http://127.0.0.1:5000/base");

        // When / Then
        Assert.Equal(new Uri("https://ecs.cn-north-4.myhuaweicloud.com/"), options.GetEndpoint("ecs"));
        Assert.Equal(new Uri("https://evs.cn-north-4.myhuaweicloud.com/"), options.GetEndpoint("evs"));
        Assert.Equal(new Uri("http://127.0.0.1:5000/base/"), options.GetEndpoint("IMS"));
        Assert.Throws<InvalidOperationException>(() => new HuaweiCloudOptions().GetEndpoint("ecs"));
    }
}
