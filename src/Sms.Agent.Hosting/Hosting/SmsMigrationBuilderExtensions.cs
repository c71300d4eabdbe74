using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sms.Cloud;
using Sms.Hosting;
using Sms.Migration;
using Sms.Store;
using Sms.Workflow;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the migration workflow: <c>services.AddSms().AddLocalCloud(dir).AddMigrations(o => o.DataDirectory = "/var/lib/sms")</c>.</summary>
public static class SmsMigrationBuilderExtensions
{
    /// <summary>
    /// Adds the <see cref="MigrationService"/> over a SQLite <see cref="IMigrationStore"/> in the data directory (unless
    /// another store was registered first), every registered <see cref="ICloudProvider"/> and
    /// <see cref="ITargetReceiverLauncher"/>, the launch's OS fix-ups (<c>AddTargetFixups</c>, with every registered step), and — with <paramref name="runWorker"/> — a hosted worker that resumes
    /// interrupted tasks and runs due syncs. Options (also bound from <c>Sms:Migration</c>) are validated when the host
    /// starts. Idempotent.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <param name="runWorker">Whether to run the background worker in the host.</param>
    /// <returns>The builder.</returns>
    public static ISmsBuilder AddMigrations(this ISmsBuilder builder, Action<MigrationOptions>? configure = null, bool runWorker = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddTargetFixups();
        var services = builder.Services;
        var options = services.AddOptions<MigrationOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MigrationOptions>>(new OptionsValidator<MigrationOptions>(MigrationOptions.SectionName, static o => o.Validate())));
        services.TryAddSingleton<IMigrationStore>(static sp => new SqliteMigrationStore(sp.GetRequiredService<IOptions<MigrationOptions>>().Value.StorePath(), sp.GetService<TimeProvider>()));
        services.TryAddSingleton(static sp => new MigrationService(
            sp.GetRequiredService<IMigrationStore>(),
            sp.GetRequiredService<IOptions<MigrationOptions>>().Value,
            Providers(sp),
            sp.GetServices<ITargetReceiverLauncher>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>(),
            sp.GetRequiredService<Sms.Fixups.TargetFixupRunner>()));
        if (runWorker)
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MigrationWorkerService>());
        }

        return builder;
    }

    /// <summary>Every cloud provider registered, keyed or not, once each.</summary>
    private static List<ICloudProvider> Providers(IServiceProvider services)
    {
        var all = new List<ICloudProvider>();
        foreach (var provider in services.GetKeyedServices<ICloudProvider>(KeyedService.AnyKey))
        {
            if (!all.Contains(provider))
            {
                all.Add(provider);
            }
        }

        foreach (var provider in services.GetServices<ICloudProvider>())
        {
            if (!all.Contains(provider))
            {
                all.Add(provider);
            }
        }

        return all;
    }
}
