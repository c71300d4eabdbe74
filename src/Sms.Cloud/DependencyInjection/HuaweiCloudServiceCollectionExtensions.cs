using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Sms.Cloud;
using Sms.Cloud.Huawei;
using Sms.Cloud.Huawei.Http;
using Sms.Cloud.Huawei.Signing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Huawei Cloud provider with dependency injection.</summary>
public static class HuaweiCloudServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="HuaweiCloudProvider"/> as itself, as an <see cref="ICloudProvider"/> and as the keyed
    /// <see cref="ICloudProvider"/> <c>"huaweicloud"</c>; its options, validated when the host starts (region, project
    /// id, AK/SK); and one named <see cref="HttpClient"/> per service (<see cref="HuaweiHttpClientNames"/>) that retries
    /// 429, 5xx and transport errors with jittered exponential back-off for idempotent methods and for POSTs carrying
    /// a client token (never for other POSTs), times out each attempt and the whole call, and signs every attempt.
    /// Calling it again only adds the new <paramref name="configure"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">
    /// Sets the options. A host may also bind them from configuration, for example
    /// <c>services.Configure&lt;HuaweiCloudOptions&gt;(configuration.GetSection(HuaweiCloudOptions.SectionName))</c>.
    /// </param>
    /// <returns>The services.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddHuaweiCloud(this IServiceCollection services, Action<HuaweiCloudOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<HuaweiCloudOptions>().Configure(configure);
        if (services.Any(static d => d.ServiceType == typeof(HuaweiCloudMarker)))
        {
            return services;
        }

        services.AddSingleton<HuaweiCloudMarker>();
        services.AddOptions<HuaweiCloudOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HuaweiCloudOptions>, HuaweiCloudOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        foreach (string service in HuaweiServices.All)
        {
            AddServiceClient(services, service);
        }

        services.TryAddSingleton(static sp => new HuaweiCloudProvider(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<IOptions<HuaweiCloudOptions>>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<HuaweiCloudProvider>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICloudProvider, HuaweiCloudProvider>(static sp => sp.GetRequiredService<HuaweiCloudProvider>()));
        services.TryAddKeyedSingleton<ICloudProvider>(HuaweiCloudProvider.ProviderName, static (sp, _) => sp.GetRequiredService<HuaweiCloudProvider>());
        return services;
    }

    private static void AddServiceClient(IServiceCollection services, string service)
    {
        string name = HuaweiHttpClientNames.ForService(service);
        IHttpClientBuilder client = services.AddHttpClient(name)
            .ConfigureHttpClient(static client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RedactLoggedHeaders(static _ => true);

        // Outermost first: the resilience handler (total timeout, retry, attempt timeout), then the signer, so that
        // every attempt is signed afresh with its own X-Sdk-Date.
        client.AddResilienceHandler(name, static (pipeline, context) =>
        {
            HuaweiCloudOptions options = context.ServiceProvider.GetRequiredService<IOptions<HuaweiCloudOptions>>().Value;
            pipeline.AddTimeout(options.TotalRequestTimeout);
            if (options.MaxRetryAttempts > 0)
            {
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = options.MaxRetryAttempts,
                    Delay = options.RetryBaseDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldHandle = HuaweiRetryPredicate.ShouldRetryAsync,
                });
            }

            pipeline.AddTimeout(options.AttemptTimeout);
        });
        client.AddHttpMessageHandler(static sp =>
        {
            HuaweiCloudOptions options = sp.GetRequiredService<IOptions<HuaweiCloudOptions>>().Value;
            var credentials = new HuaweiCredentials(
                options.AccessKey ?? throw new InvalidOperationException($"{HuaweiCloudOptions.SectionName}:AccessKey is required."),
                options.SecretKey ?? throw new InvalidOperationException($"{HuaweiCloudOptions.SectionName}:SecretKey is required."),
                options.SecurityToken);
            return new HuaweiSigningHandler(credentials, sp.GetService<TimeProvider>() ?? TimeProvider.System);
        });
    }

    /// <summary>Makes <see cref="AddHuaweiCloud"/> register its clients and services once.</summary>
    private sealed class HuaweiCloudMarker;
}
