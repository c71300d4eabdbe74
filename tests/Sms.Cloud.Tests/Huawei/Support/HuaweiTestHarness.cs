using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sms.Cloud.Huawei;
using Sms.Cloud.Tests.Huawei.Fake;

namespace Sms.Cloud.Tests.Huawei.Support;

/// <summary>
/// A <see cref="HuaweiCloudProvider"/> wired by <c>AddHuaweiCloud</c> (named clients, resilience, signing) against a
/// running <see cref="HuaweiFakeCloud"/>, with every log entry captured and short polling and retry delays.
/// </summary>
internal sealed class HuaweiTestHarness : IAsyncDisposable
{
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(5);

    private HuaweiTestHarness(HuaweiFakeCloud fake, ServiceProvider services, CapturingLoggerProvider logs)
    {
        Fake = fake;
        Services = services;
        Logs = logs;
        Provider = services.GetRequiredService<HuaweiCloudProvider>();
    }

    public HuaweiFakeCloud Fake { get; }

    public ServiceProvider Services { get; }

    public CapturingLoggerProvider Logs { get; }

    public HuaweiCloudProvider Provider { get; }

    public static async Task<HuaweiTestHarness> StartAsync(Action<HuaweiCloudOptions>? configure = null, string? securityToken = null, bool seedNetwork = true)
    {
        HuaweiFakeCloud fake = await HuaweiFakeCloud.StartAsync(securityToken);
        if (seedNetwork)
        {
            HuaweiTestData.SeedNetwork(fake);
        }

        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddHuaweiCloud(options =>
        {
            Configure(options, fake, securityToken);
            configure?.Invoke(options);
        });
        return new HuaweiTestHarness(fake, services.BuildServiceProvider(), logs);
    }

    /// <summary>Sets the options that point a provider at <paramref name="fake"/>.</summary>
    public static void Configure(HuaweiCloudOptions options, HuaweiFakeCloud fake, string? securityToken = null)
    {
        options.Region = "cn-north-4";
        options.ProjectId = HuaweiFakeCloud.ProjectId;
        options.AccessKey = HuaweiFakeCloud.AccessKey;
        options.SecretKey = HuaweiFakeCloud.SecretKey;
        options.SecurityToken = securityToken;
        foreach (KeyValuePair<string, Uri> endpoint in fake.Endpoints)
        {
            options.Endpoints[endpoint.Key] = endpoint.Value;
        }

        options.PollInterval = Poll;
        options.MaxPollInterval = TimeSpan.FromMilliseconds(20);
        options.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
        options.MaxRetryAttempts = 3;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
