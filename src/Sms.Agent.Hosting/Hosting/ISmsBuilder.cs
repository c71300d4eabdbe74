using Microsoft.Extensions.DependencyInjection;

namespace Sms.Hosting;

/// <summary>Chains the parts of the SDK onto a service collection: <c>services.AddSms().AddTargetReceiver(...)</c>.</summary>
public interface ISmsBuilder
{
    /// <summary>The services being configured.</summary>
    /// <value>The collection.</value>
    IServiceCollection Services { get; }
}
