namespace Sms.Cloud.Huawei.Signing;

/// <summary>
/// Every intermediate value of one <c>SDK-HMAC-SHA256</c> signature, so each step can be checked byte for byte.
/// </summary>
/// <param name="Date">The <c>X-Sdk-Date</c> value, formatted <c>yyyyMMdd'T'HHmmss'Z'</c> in UTC.</param>
/// <param name="CanonicalRequest">
/// The six-line canonical request: method, canonical URI, canonical query string,
/// canonical headers (each ending in a newline), signed headers and the payload hash.
/// </param>
/// <param name="StringToSign">The string to sign: algorithm, date and the hex SHA-256 of the canonical request.</param>
/// <param name="Signature">The lowercase hex HMAC-SHA256 of the string to sign, keyed with the secret key.</param>
/// <param name="SignedHeaders">The lowercase signed header names, sorted and joined by <c>;</c>.</param>
/// <param name="Authorization">The complete <c>Authorization</c> header value.</param>
public sealed record HuaweiSigningResult(
    string Date,
    string CanonicalRequest,
    string StringToSign,
    string Signature,
    string SignedHeaders,
    string Authorization);
