using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sms.Fixups;
using Sms.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the target fix-ups: <c>services.AddSms().AddTargetFixups(o => …)</c>.</summary>
public static class SmsFixupsBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="TargetFixupRunner"/> and the SDK's fix-up steps, in this order: <see cref="FstabByUuid"/>,
    /// <see cref="NetworkToDhcp"/>, <see cref="RemoveSourceCloudAgents"/>. Steps registered later as
    /// <see cref="ITargetFixup"/> (<c>services.AddSingleton&lt;ITargetFixup, MyFixup&gt;()</c>) run after them. The
    /// options are validated when the host starts. Idempotent.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options (they may also be bound from the <c>Sms:Fixups</c> section).</param>
    /// <returns>The builder.</returns>
    public static ISmsBuilder AddTargetFixups(this ISmsBuilder builder, Action<TargetFixupOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<TargetFixupOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TargetFixupOptions>>(new OptionsValidator<TargetFixupOptions>(TargetFixupOptions.SectionName, static o => o.Validate())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITargetFixup, FstabByUuid>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITargetFixup, NetworkToDhcp>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITargetFixup, RemoveSourceCloudAgents>(
            static sp => new RemoveSourceCloudAgents(sp.GetRequiredService<IOptions<TargetFixupOptions>>().Value.Agents)));
        services.TryAddSingleton(static sp => new TargetFixupRunner(
            sp.GetServices<ITargetFixup>(),
            sp.GetRequiredService<IOptions<TargetFixupOptions>>().Value,
            sp.GetService<ILogger<TargetFixupRunner>>()));
        return builder;
    }
}
