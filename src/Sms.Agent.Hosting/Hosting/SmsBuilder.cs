using Microsoft.Extensions.DependencyInjection;

namespace Sms.Hosting;

internal sealed class SmsBuilder(IServiceCollection services) : ISmsBuilder
{
    public IServiceCollection Services { get; } = services;
}

/// <summary>The marker that makes <c>AddSms()</c> idempotent.</summary>
internal sealed class SmsMarker;
