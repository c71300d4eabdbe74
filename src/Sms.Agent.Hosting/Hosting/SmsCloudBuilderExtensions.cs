using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Sms.Cloud;
using Sms.Cloud.Huawei;
using Sms.Cloud.Local;
using Sms.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a cloud provider as the migration target: <c>services.AddSms().AddLocalCloud(dir)</c>.</summary>
public static class SmsCloudBuilderExtensions
{
    /// <summary>The service key of the local cloud provider.</summary>
    public const string LocalCloudKey = "local";

    /// <summary>
    /// Adds the local cloud, the embedded default: servers, volumes, snapshots, networks and images kept in
    /// <paramref name="directory"/>. It is registered as <see cref="ICloudProvider"/> (unless another provider was
    /// registered first) and as the keyed service <see cref="LocalCloudKey"/>. Idempotent.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="directory">The cloud's directory; created when missing.</param>
    /// <param name="configure">Quotas and reflink use.</param>
    /// <returns>The builder.</returns>
    public static ISmsBuilder AddLocalCloud(this ISmsBuilder builder, string directory, Action<LocalCloudOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var options = new LocalCloudOptions();
        configure?.Invoke(options);
        builder.Services.TryAddKeyedSingleton(LocalCloudKey, (sp, _) =>
        {
            // DI factories are synchronous; opening is short (the SQLite schema and the directory layout), and it
            // runs on the thread pool so that no synchronisation context can deadlock it.
            var loggers = sp.GetService<ILoggerFactory>();
            var time = sp.GetService<TimeProvider>();
            return Task.Run(() => LocalCloudProvider.OpenAsync(directory, options, time, loggers)).GetAwaiter().GetResult();
        });
        builder.Services.TryAddKeyedSingleton<ICloudProvider>(LocalCloudKey, static (sp, key) => sp.GetRequiredKeyedService<LocalCloudProvider>(key));
        builder.Services.TryAddSingleton<ICloudProvider>(static sp => sp.GetRequiredKeyedService<LocalCloudProvider>(LocalCloudKey));
        return builder;
    }

    /// <summary>
    /// Adds Huawei Cloud (ECS, EVS, VPC, IMS over REST with AK/SK signing) as a migration target, with its options
    /// validated when the host starts. Registered as <see cref="ICloudProvider"/> (unless another provider was
    /// registered first) and keyed "huaweicloud". Idempotent.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Region, project id, AK/SK (never logged), endpoints.</param>
    /// <returns>The builder.</returns>
    public static ISmsBuilder AddHuaweiCloud(this ISmsBuilder builder, Action<HuaweiCloudOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHuaweiCloud(configure);
        return builder;
    }
}
