using Microsoft.Extensions.DependencyInjection;
using Sms.Cloud;
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
}
