using Microsoft.Extensions.Options;

namespace Sms.Hosting;

/// <summary>Fails the host's start when options are not usable: runs their own <c>Validate</c> and reports its message under their section.</summary>
/// <typeparam name="TOptions">The options.</typeparam>
internal sealed class OptionsValidator<TOptions>(string section, Action<TOptions> validate) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        try
        {
            validate(options);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"{section}: {ex.Message}");
        }
    }
}
