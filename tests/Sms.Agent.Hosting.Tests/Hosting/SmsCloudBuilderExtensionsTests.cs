using Microsoft.Extensions.DependencyInjection;
using Sms.Cloud;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Sms.Cloud.Huawei;
using Sms.Cloud.Local;

namespace Sms.Agent.Hosting.Tests.Hosting;

public sealed class SmsCloudBuilderExtensionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sms-di-cloud-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task AddLocalCloud_Twice_RegistersOneProviderThatWorks()
    {
        // Given
        var services = new ServiceCollection();
        services.AddSms().AddLocalCloud(_dir, o => o.MaxVolumes = 3);
        services.AddSms().AddLocalCloud(_dir);

        // When
        await using var provider = services.BuildServiceProvider();
        var cloud = provider.GetRequiredService<ICloudProvider>();
        var vpc = await cloud.Networks.CreateVpcAsync("v", "10.1.0.0/16");

        // Then
        Assert.Single(services, d => d.ServiceType == typeof(ICloudProvider) && !d.IsKeyedService);
        Assert.Same(cloud, provider.GetRequiredKeyedService<ICloudProvider>(SmsCloudBuilderExtensions.LocalCloudKey));
        Assert.IsType<LocalCloudProvider>(cloud);
        Assert.Equal("local", cloud.Name);
        Assert.Contains(await cloud.Networks.ListVpcsAsync(), v => v.Id == vpc.Id);
        Assert.True(File.Exists(Path.Combine(_dir, "cloud.db")));
    }

    [Fact]
    public async Task AddHuaweiCloud_WithoutSecretKey_FailsAtHostStartWithoutPrintingSecrets()
    {
        // Given
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSms().AddHuaweiCloud(o =>
        {
            o.Region = "cn-north-4";
            o.ProjectId = "0123456789abcdef0123456789abcdef";
            o.AccessKey = "AKVISIBLEINTESTS0001";
        });
        using var host = builder.Build();

        // When
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        // Then
        Assert.Contains("SecretKey", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AKVISIBLEINTESTS0001", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddHuaweiCloud_Configured_ResolvesTheProviderAsICloudProvider()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSms().AddHuaweiCloud(o =>
        {
            o.Region = "cn-north-4";
            o.ProjectId = "0123456789abcdef0123456789abcdef";
            o.AccessKey = "AK";
            o.SecretKey = "SK";
        });
        using var provider = services.BuildServiceProvider();
        Assert.IsType<HuaweiCloudProvider>(provider.GetRequiredService<ICloudProvider>());
    }
}
