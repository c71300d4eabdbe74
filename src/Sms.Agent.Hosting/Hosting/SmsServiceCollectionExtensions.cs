using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sms.Engine;
using Sms.Hosting;
using Sms.Receiver;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Sms SDK with dependency injection. Every method is idempotent.</summary>
public static class SmsServiceCollectionExtensions
{
    /// <summary>Adds the SDK's shared services (a <see cref="TimeProvider"/>) and returns a builder for the rest.</summary>
    /// <param name="services">The services.</param>
    /// <returns>The builder.</returns>
    public static ISmsBuilder AddSms(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(static d => d.ServiceType == typeof(SmsMarker)))
        {
            services.AddSingleton<SmsMarker>();
            services.TryAddSingleton(TimeProvider.System);
        }

        return new SmsBuilder(services);
    }

    /// <summary>
    /// Adds the source side: a <see cref="BlockReplicator"/> to inject where replication passes are started.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ISmsBuilder AddSourceAgent(this ISmsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton(static sp => new BlockReplicator(sp.GetService<ILogger<BlockReplicator>>(), sp.GetService<TimeProvider>()));
        return builder;
    }

    /// <summary>
    /// Adds the target receiver as a hosted service: it listens while the host runs, with options validated when the
    /// host starts (a missing volumes directory fails the start, not the first connection).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options (they may also be bound from the <c>Sms:Receiver</c> section).</param>
    /// <returns>The builder.</returns>
    public static ISmsBuilder AddTargetReceiver(this ISmsBuilder builder, Action<ReceiverOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<ReceiverOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReceiverOptions>>(new OptionsValidator<ReceiverOptions>(ReceiverOptions.SectionName, static o => o.Validate())));
        services.TryAddSingleton(static sp => new ReplicationReceiver(
            sp.GetRequiredService<IOptions<ReceiverOptions>>().Value,
            sp.GetService<ILogger<ReplicationReceiver>>(),
            sp.GetService<TimeProvider>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ReceiverHostedService>());
        return builder;
    }
}
