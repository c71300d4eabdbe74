using Microsoft.Extensions.Options;
using Sms.Receiver;

namespace Sms.Hosting;

/// <summary>Fails the host's start when the receiver's options are not usable.</summary>
internal sealed class ReceiverOptionsValidator : IValidateOptions<ReceiverOptions>
{
    public ValidateOptionsResult Validate(string? name, ReceiverOptions options)
    {
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"{ReceiverOptions.SectionName}: {ex.Message}");
        }
    }
}
