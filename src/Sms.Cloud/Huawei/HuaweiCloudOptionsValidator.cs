using Microsoft.Extensions.Options;

namespace Sms.Cloud.Huawei;

/// <summary>
/// Fails the host's start when the Huawei Cloud options are not usable. Messages name the missing or wrong setting,
/// never the value of a key or a token.
/// </summary>
internal sealed class HuaweiCloudOptionsValidator : IValidateOptions<HuaweiCloudOptions>
{
    private const string Prefix = HuaweiCloudOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, HuaweiCloudOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (string.IsNullOrWhiteSpace(options.Region))
        {
            failures.Add($"{Prefix}:Region is required (for example cn-north-4).");
        }
        else if (!IsHostLabel(options.Region))
        {
            failures.Add($"{Prefix}:Region '{options.Region}' is not a valid region id.");
        }

        if (string.IsNullOrWhiteSpace(options.ProjectId))
        {
            failures.Add($"{Prefix}:ProjectId is required.");
        }

        if (string.IsNullOrWhiteSpace(options.AccessKey))
        {
            failures.Add($"{Prefix}:AccessKey is required.");
        }

        if (string.IsNullOrWhiteSpace(options.SecretKey))
        {
            failures.Add($"{Prefix}:SecretKey is required.");
        }

        if (options.SecurityToken is not null && string.IsNullOrWhiteSpace(options.SecurityToken))
        {
            failures.Add($"{Prefix}:SecurityToken must be null or a token, not blank.");
        }

        if (string.IsNullOrWhiteSpace(options.Domain) || !options.Domain.All(static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))
        {
            failures.Add($"{Prefix}:Domain '{options.Domain}' is not a valid domain (for example {HuaweiEndpoints.DefaultDomain}).");
        }

        foreach (KeyValuePair<string, Uri> endpoint in options.Endpoints)
        {
            if (endpoint.Value is null || !endpoint.Value.IsAbsoluteUri || (endpoint.Value.Scheme != Uri.UriSchemeHttps && endpoint.Value.Scheme != Uri.UriSchemeHttp))
            {
                failures.Add($"{Prefix}:Endpoints:{endpoint.Key} must be an absolute http(s) URI.");
            }
        }

        if (options.PollInterval <= TimeSpan.Zero || options.MaxPollInterval < options.PollInterval)
        {
            failures.Add($"{Prefix}:PollInterval must be positive and at most MaxPollInterval.");
        }

        if (options.MaxRetryAttempts < 0 || options.RetryBaseDelay < TimeSpan.Zero)
        {
            failures.Add($"{Prefix}:MaxRetryAttempts and RetryBaseDelay must not be negative.");
        }

        if (options.AttemptTimeout <= TimeSpan.Zero || options.TotalRequestTimeout < options.AttemptTimeout)
        {
            failures.Add($"{Prefix}:AttemptTimeout must be positive and at most TotalRequestTimeout.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsHostLabel(string value)
    {
        foreach (char c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }
}
