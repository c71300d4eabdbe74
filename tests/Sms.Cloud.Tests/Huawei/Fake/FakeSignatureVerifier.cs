using System.Globalization;
using Sms.Cloud.Huawei.Signing;

namespace Sms.Cloud.Tests.Huawei.Fake;

/// <summary>
/// Checks a request's <c>Authorization</c> the way the API gateway does: recomputes the <c>SDK-HMAC-SHA256</c>
/// signature from the received method, host, raw path and query, the headers named in <c>SignedHeaders</c>, the
/// <c>X-Sdk-Date</c> and the body bytes, with the known AK/SK (and security token), and compares the whole header.
/// </summary>
internal static class FakeSignatureVerifier
{
    public static string? Verify(
        string method,
        string host,
        string rawTarget,
        IReadOnlyDictionary<string, string> headers,
        ReadOnlySpan<byte> body,
        HuaweiCredentials credentials,
        DateTimeOffset now)
    {
        if (!headers.TryGetValue("Authorization", out string? authorization))
        {
            return "no Authorization header";
        }

        const string Prefix = HuaweiRequestSigner.Algorithm + " ";
        if (!authorization.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return "not SDK-HMAC-SHA256";
        }

        var parts = authorization[Prefix.Length..].Split(", ").Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("Access", out string? access) || access != credentials.AccessKey)
        {
            return "unknown access key";
        }

        if (!parts.TryGetValue("SignedHeaders", out string? signedHeaders))
        {
            return "no SignedHeaders";
        }

        string[] names = signedHeaders.Split(';');
        foreach (string required in new[] { "host", "x-sdk-date", "x-project-id" }.Concat(credentials.SecurityToken is null ? [] : ["x-security-token"]))
        {
            if (!names.Contains(required, StringComparer.Ordinal))
            {
                return $"{required} is not signed";
            }
        }

        if (!headers.TryGetValue(HuaweiRequestSigner.DateHeaderName, out string? dateText)
            || !DateTimeOffset.TryParseExact(dateText, HuaweiRequestSigner.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset date))
        {
            return "no valid X-Sdk-Date";
        }

        if ((now - date).Duration() > TimeSpan.FromMinutes(15))
        {
            return "X-Sdk-Date is more than 15 minutes off";
        }

        if (credentials.SecurityToken is not null && (!headers.TryGetValue(HuaweiRequestSigner.SecurityTokenHeaderName, out string? token) || token != credentials.SecurityToken))
        {
            return "wrong or missing X-Security-Token";
        }

        var signed = new List<KeyValuePair<string, string>>();
        foreach (string name in names)
        {
            string? value = name == "host" ? host : headers.TryGetValue(name, out string? v) ? v : null;
            if (value is null)
            {
                return $"signed header {name} is missing";
            }

            signed.Add(new(name, value));
        }

        var uri = new Uri("http://" + host + rawTarget, UriKind.Absolute);
        HuaweiSigningResult expected = HuaweiRequestSigner.Sign(method, uri, signed, body, credentials, date);
        return expected.Authorization == authorization ? null : "signature mismatch";
    }
}
