using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Sms.Cloud.Huawei.Signing;

/// <summary>
/// Huawei Cloud AK/SK request signing, algorithm <c>SDK-HMAC-SHA256</c>.
/// </summary>
/// <remarks>
/// <para>
/// Canonical request = method, canonical URI (always ending in <c>/</c>), canonical query string,
/// canonical headers, signed headers and the lowercase hex SHA-256 of the body, joined by <c>\n</c>.
/// String to sign = <c>SDK-HMAC-SHA256\n{X-Sdk-Date}\n{hex SHA-256 of the canonical request}</c>.
/// Signature = hex HMAC-SHA256 of the string to sign keyed with the UTF-8 secret key; there is no key derivation.
/// </para>
/// <para>
/// The body hash covers the exact bytes sent. When the request carries <c>X-Sdk-Content-Sha256</c>
/// (for example <see cref="UnsignedPayload"/> for large uploads) its value replaces the body hash
/// and the body is not read.
/// </para>
/// </remarks>
public static class HuaweiRequestSigner
{
    /// <summary>The algorithm name, first word of the <c>Authorization</c> header.</summary>
    public const string Algorithm = "SDK-HMAC-SHA256";

    /// <summary>The header carrying the signing time.</summary>
    public const string DateHeaderName = "X-Sdk-Date";

    /// <summary>The format of <see cref="DateHeaderName"/>, in UTC (for example <c>20060102T150405Z</c>).</summary>
    public const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>The header whose value, when present, replaces the body hash in the canonical request.</summary>
    public const string ContentSha256HeaderName = "X-Sdk-Content-Sha256";

    /// <summary>The <see cref="ContentSha256HeaderName"/> value that leaves the body out of the signature.</summary>
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";

    /// <summary>The header carrying the security token of temporary credentials.</summary>
    public const string SecurityTokenHeaderName = "X-Security-Token";

    /// <summary>The header carrying the project id for regional services.</summary>
    public const string ProjectIdHeaderName = "X-Project-Id";

    /// <summary>The header carrying the domain (account) id for global services.</summary>
    public const string DomainIdHeaderName = "X-Domain-Id";

    private const string AuthorizationHeaderName = "Authorization";
    private const string HostHeaderName = "Host";

    // Headers a later handler or the transport could add or rewrite are left unsigned on purpose.
    private static readonly string[] s_signedRequestHeaders =
    [
        HostHeaderName,
        DateHeaderName,
        ContentSha256HeaderName,
        ProjectIdHeaderName,
        DomainIdHeaderName,
        SecurityTokenHeaderName,
    ];

    /// <summary>
    /// Signs a request described by its parts. Pure: nothing is read from the clock or the environment.
    /// </summary>
    /// <param name="method">The HTTP method as sent, for example <c>GET</c>.</param>
    /// <param name="requestUri">The absolute request URI; its escaped path and query are canonicalised.</param>
    /// <param name="headers">
    /// The headers to sign, as they will be sent; repeated names are allowed. <c>Content-Type</c>,
    /// <c>Authorization</c> and names containing <c>_</c> are skipped. No <c>Host</c> header is implied:
    /// pass it to sign it. Any <c>X-Sdk-Date</c> is replaced by <paramref name="timestamp"/>, and any
    /// <c>X-Security-Token</c> by the token of <paramref name="credentials"/> when it has one.
    /// </param>
    /// <param name="body">The exact body bytes sent; ignored when <c>X-Sdk-Content-Sha256</c> is among the headers.</param>
    /// <param name="credentials">The credentials to sign with.</param>
    /// <param name="timestamp">The signing time, written as <c>X-Sdk-Date</c>.</param>
    /// <returns>The canonical request, string to sign, signature and <c>Authorization</c> value.</returns>
    /// <exception cref="ArgumentException"><paramref name="method"/> is empty or <paramref name="requestUri"/> is relative.</exception>
    public static HuaweiSigningResult Sign(
        string method,
        Uri requestUri,
        IEnumerable<KeyValuePair<string, string>> headers,
        ReadOnlySpan<byte> body,
        HuaweiCredentials credentials,
        DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(credentials);

        string date = FormatDate(timestamp);
        var effective = new List<KeyValuePair<string, string>>();
        string? declaredPayloadHash = null;
        foreach (KeyValuePair<string, string> header in headers)
        {
            string name = header.Key?.Trim() ?? string.Empty;
            if (IsHeader(name, DateHeaderName)
                || (credentials.SecurityToken is not null && IsHeader(name, SecurityTokenHeaderName)))
            {
                continue;
            }

            if (IsHeader(name, ContentSha256HeaderName))
            {
                declaredPayloadHash ??= header.Value;
            }

            effective.Add(header);
        }

        effective.Add(new(DateHeaderName, date));
        if (credentials.SecurityToken is not null)
        {
            effective.Add(new(SecurityTokenHeaderName, credentials.SecurityToken));
        }

        string payloadHash = declaredPayloadHash ?? HashHex(body);
        return Compute(method, requestUri, effective, payloadHash, credentials, date);
    }

    /// <summary>
    /// Signs <paramref name="request"/> in place: sets <c>X-Sdk-Date</c>, <c>Host</c> when it is not set,
    /// <c>X-Security-Token</c> for temporary credentials, and <c>Authorization</c>.
    /// </summary>
    /// <remarks>
    /// Signed headers: <c>host</c>, <c>x-sdk-date</c> and, when present, <c>x-sdk-content-sha256</c>,
    /// <c>x-project-id</c>, <c>x-domain-id</c> and <c>x-security-token</c>. Other headers stay unsigned so
    /// handlers and the transport may still add or change them. The content is buffered and hashed unless
    /// the request carries <c>X-Sdk-Content-Sha256</c>. Signing the same request again replaces the date,
    /// the token and the <c>Authorization</c> header, so retries get a fresh signature.
    /// </remarks>
    /// <param name="request">The request; its <see cref="HttpRequestMessage.RequestUri"/> must be absolute.</param>
    /// <param name="credentials">The credentials to sign with.</param>
    /// <param name="now">The signing time.</param>
    /// <param name="cancellationToken">Cancels reading the content.</param>
    /// <returns>The intermediate values and the <c>Authorization</c> value that was set.</returns>
    /// <exception cref="InvalidOperationException">The request URI is missing or relative.</exception>
    public static async Task<HuaweiSigningResult> SignAsync(
        HttpRequestMessage request,
        HuaweiCredentials credentials,
        DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credentials);
        Uri uri = GetAbsoluteUri(request);

        string? payloadHash = GetDeclaredPayloadHash(request);
        if (payloadHash is null)
        {
            payloadHash = await HashContentAsync(request.Content, cancellationToken).ConfigureAwait(false);
        }

        return Apply(request, uri, credentials, now, payloadHash);
    }

    /// <summary>Synchronous <see cref="SignAsync"/>, for <see cref="HttpMessageHandler"/>'s synchronous send.</summary>
    /// <remarks>The content is hashed without buffering, so a non-seekable stream content cannot be sent afterwards.</remarks>
    internal static HuaweiSigningResult Sign(
        HttpRequestMessage request,
        HuaweiCredentials credentials,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credentials);
        Uri uri = GetAbsoluteUri(request);

        string? payloadHash = GetDeclaredPayloadHash(request);
        if (payloadHash is null)
        {
            if (request.Content is null)
            {
                payloadHash = HashHex([]);
            }
            else
            {
                using var hashing = new Sha256WriteStream();
                request.Content.CopyTo(hashing, context: null, cancellationToken);
                payloadHash = hashing.GetHashAndResetHex();
            }
        }

        return Apply(request, uri, credentials, now, payloadHash);
    }

    /// <summary>Formats <paramref name="timestamp"/> as an <c>X-Sdk-Date</c> value (UTC, <see cref="DateFormat"/>).</summary>
    /// <param name="timestamp">The instant to format; its offset is converted to UTC.</param>
    /// <returns>For example <c>20060102T150405Z</c>.</returns>
    public static string FormatDate(DateTimeOffset timestamp) =>
        timestamp.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture);

    private static HuaweiSigningResult Apply(
        HttpRequestMessage request,
        Uri uri,
        HuaweiCredentials credentials,
        DateTimeOffset now,
        string payloadHash)
    {
        HttpRequestHeaders target = request.Headers;
        string date = FormatDate(now);

        target.Remove(AuthorizationHeaderName);
        target.Remove(DateHeaderName);
        target.TryAddWithoutValidation(DateHeaderName, date);
        if (credentials.SecurityToken is not null)
        {
            target.Remove(SecurityTokenHeaderName);
            target.TryAddWithoutValidation(SecurityTokenHeaderName, credentials.SecurityToken);
        }

        if (string.IsNullOrEmpty(target.Host))
        {
            target.Host = BuildHostHeader(uri);
        }

        var signed = new List<KeyValuePair<string, string>>(s_signedRequestHeaders.Length);
        foreach (string name in s_signedRequestHeaders)
        {
            if (target.NonValidated.TryGetValues(name, out HeaderStringValues values))
            {
                signed.Add(new(name, values.ToString()));
            }
        }

        HuaweiSigningResult result = Compute(request.Method.Method, uri, signed, payloadHash, credentials, date);
        target.TryAddWithoutValidation(AuthorizationHeaderName, result.Authorization);
        return result;
    }

    private static HuaweiSigningResult Compute(
        string method,
        Uri requestUri,
        IEnumerable<KeyValuePair<string, string>> headers,
        string payloadHash,
        HuaweiCredentials credentials,
        string date)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentNullException.ThrowIfNull(requestUri);
        if (!requestUri.IsAbsoluteUri)
        {
            throw new ArgumentException("The request URI must be absolute.", nameof(requestUri));
        }

        (string headerBlock, string signedHeaders) = HuaweiCanonicalHeaders.Build(headers);
        string canonicalRequest = string.Join(
            '\n',
            method,
            HuaweiCanonicalPath.Build(requestUri.AbsolutePath),
            HuaweiCanonicalQuery.Build(requestUri.Query),
            headerBlock,
            signedHeaders,
            payloadHash);

        string stringToSign = $"{Algorithm}\n{date}\n{HashHex(Encoding.UTF8.GetBytes(canonicalRequest))}";

        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(credentials.SecretKey), Encoding.UTF8.GetBytes(stringToSign), mac);
        string signature = Convert.ToHexStringLower(mac);

        string authorization = $"{Algorithm} Access={credentials.AccessKey}, SignedHeaders={signedHeaders}, Signature={signature}";
        return new HuaweiSigningResult(date, canonicalRequest, stringToSign, signature, signedHeaders, authorization);
    }

    private static Uri GetAbsoluteUri(HttpRequestMessage request) =>
        request.RequestUri is { IsAbsoluteUri: true } uri
            ? uri
            : throw new InvalidOperationException("The request URI must be set and absolute before the request is signed.");

    private static string? GetDeclaredPayloadHash(HttpRequestMessage request) =>
        request.Headers.NonValidated.TryGetValues(ContentSha256HeaderName, out HeaderStringValues values)
            ? values.ToString()
            : null;

    private static async Task<string> HashContentAsync(HttpContent? content, CancellationToken cancellationToken)
    {
        if (content is null)
        {
            return HashHex([]);
        }

        // Buffer first so that a one-shot stream can still be sent after it has been hashed.
        await content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        using var hashing = new Sha256WriteStream();
        await content.CopyToAsync(hashing, cancellationToken).ConfigureAwait(false);
        return hashing.GetHashAndResetHex();
    }

    private static string BuildHostHeader(Uri uri)
    {
        string host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost;
        return uri.IsDefaultPort ? host : $"{host}:{uri.Port.ToString(CultureInfo.InvariantCulture)}";
    }

    private static string HashHex(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, digest);
        return Convert.ToHexStringLower(digest);
    }

    private static bool IsHeader(string name, string expected) =>
        string.Equals(name, expected, StringComparison.OrdinalIgnoreCase);
}
