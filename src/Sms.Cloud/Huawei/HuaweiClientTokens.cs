namespace Sms.Cloud.Huawei;

/// <summary>
/// Client-side idempotency. The stored Huawei API reference documents no client-token header or field for ECS server
/// or EVS volume creation, so the provider tags what it creates with the caller's token in the resource's metadata
/// (<see cref="MetadataKey"/>) and, before creating (and before retrying a create), looks for a resource with that
/// name and tag. The tag keys start with <see cref="ReservedPrefix"/> and are left out of the metadata the provider
/// returns.
/// </summary>
internal static class HuaweiClientTokens
{
    /// <summary>The prefix of the metadata keys the provider reserves (ECS metadata keys may contain <c>:</c>).</summary>
    public const string ReservedPrefix = "sms:";

    /// <summary>The metadata key holding the client token.</summary>
    public const string MetadataKey = ReservedPrefix + "client_token";

    /// <summary>The metadata key holding the requested firmware (bios or uefi); ECS reports no boot mode of its own.</summary>
    public const string FirmwareKey = ReservedPrefix + "firmware";

    /// <summary>Checks a token: 1–64 printable ASCII characters (a metadata value allows 255).</summary>
    /// <exception cref="ArgumentException">The token is empty, too long or not printable ASCII.</exception>
    public static string Validate(string token, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token, paramName);
        if (token.Length > 64)
        {
            throw new ArgumentException("A client token has at most 64 characters.", paramName);
        }

        foreach (char c in token)
        {
            if (c is < '!' or > '~')
            {
                throw new ArgumentException("A client token holds printable ASCII characters only.", paramName);
            }
        }

        return token;
    }

    public static bool IsReserved(string key) => key.StartsWith(ReservedPrefix, StringComparison.Ordinal);
}
