using Microsoft.Extensions.Options;
using Sms.Workflow;

namespace Sms.Hosting;

/// <summary>Fails the host's start when the workflow's options are not usable.</summary>
internal sealed class MigrationOptionsValidator : IValidateOptions<MigrationOptions>
{
    public ValidateOptionsResult Validate(string? name, MigrationOptions options)
    {
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"{MigrationOptions.SectionName}: {ex.Message}");
        }
    }
}
