using System.Text;

namespace Sms.Cloud.Huawei.Signing;

/// <summary>
/// Huawei Cloud AK/SK credentials used to sign requests with <c>SDK-HMAC-SHA256</c>.
/// </summary>
/// <remarks>
/// <see cref="ToString"/> never prints the access key, the secret key or the security token,
/// so an instance can safely end up in logs and exception messages.
/// </remarks>
public sealed record HuaweiCredentials
{
    /// <summary>Creates credentials from an access key, a secret key and an optional security token.</summary>
    /// <param name="accessKey">The access key (AK). Must not be empty or whitespace.</param>
    /// <param name="secretKey">The secret access key (SK). Must not be empty or whitespace.</param>
    /// <param name="securityToken">
    /// The security token of temporary credentials, sent as <c>X-Security-Token</c>;
    /// <see langword="null"/> for permanent credentials. When given it must not be empty or whitespace.
    /// </param>
    /// <exception cref="ArgumentException">A value is empty or whitespace.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="accessKey"/> or <paramref name="secretKey"/> is <see langword="null"/>.</exception>
    public HuaweiCredentials(string accessKey, string secretKey, string? securityToken = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accessKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(secretKey);
        if (securityToken is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(securityToken);
        }

        AccessKey = accessKey;
        SecretKey = secretKey;
        SecurityToken = securityToken;
    }

    /// <summary>Gets the access key (AK); it appears in the <c>Authorization</c> header.</summary>
    public string AccessKey { get; }

    /// <summary>Gets the secret access key (SK); it is the HMAC key and never leaves the process.</summary>
    public string SecretKey { get; }

    /// <summary>Gets the security token of temporary credentials, or <see langword="null"/>.</summary>
    public string? SecurityToken { get; }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("AccessKey = ***, SecretKey = ***, HasSecurityToken = ")
            .Append(SecurityToken is null ? "False" : "True");
        return true;
    }
}
