using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Sms.Blocks;
using Sms.Engine;
using Sms.Receiver;

namespace Sms.Agent.Hosting.Tests.Hosting;

public sealed class SmsServiceCollectionExtensionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sms-hosting-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AddSms_CalledTwice_RegistersEverythingOnce()
    {
        // Given
        var services = new ServiceCollection();

        // When
        services.AddSms().AddSourceAgent().AddTargetReceiver(o => o.VolumesDirectory = _dir);
        services.AddSms().AddSourceAgent().AddTargetReceiver(o => o.VolumesDirectory = _dir);

        // Then
        Assert.Single(services, d => d.ServiceType == typeof(BlockReplicator));
        Assert.Single(services, d => d.ServiceType == typeof(ReplicationReceiver));
        Assert.Single(services, d => d.ServiceType == typeof(IHostedService));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<ReceiverOptions>));
        Assert.Single(services, d => d.ServiceType == typeof(TimeProvider));
    }

    [Fact]
    public async Task StartAsync_ReceiverWithoutVolumesDirectory_FailsAtStart()
    {
        // Given
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSms().AddTargetReceiver();
        using var host = builder.Build();

        // When
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        // Then
        Assert.Contains("volumes directory", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task HostedReceiver_AcceptsAReplicationFromTheInjectedSourceAgent()
    {
        // Given: a host running the receiver, and a source image.
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSms().AddSourceAgent().AddTargetReceiver(o => o.VolumesDirectory = Path.Combine(_dir, "volumes"));
        using var host = builder.Build();
        await host.StartAsync();
        var image = Path.Combine(_dir, "source.img");
        var bytes = new byte[3 << 20];
        new Random(1).NextBytes(bytes);
        await File.WriteAllBytesAsync(image, bytes);

        // When
        var receiver = host.Services.GetRequiredService<ReplicationReceiver>();
        var replicator = host.Services.GetRequiredService<BlockReplicator>();
        await using (var source = FileBlockSource.Open(image))
        {
            var result = await replicator.ReplicateAsync(source, receiver.Pairing, "disk0", Path.Combine(_dir, "state"));
            Assert.Equal(3, result.BlocksSent);
        }

        await host.StopAsync();

        // Then
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(_dir, "volumes", "disk0.img")));
    }
}
