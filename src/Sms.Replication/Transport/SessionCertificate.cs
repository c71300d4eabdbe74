using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sms.Transport;

/// <summary>The receiver's per-session TLS certificate: self-signed ECDSA P-256, pinned by its SHA-256 fingerprint.</summary>
public static class SessionCertificate
{
    /// <summary>The subject and TLS host name used by sources.</summary>
    public const string HostName = "sms-receiver";

    /// <summary>Generates a fresh certificate with its private key.</summary>
    /// <param name="now">The current time (validity starts a day earlier to absorb clock skew).</param>
    /// <returns>The certificate; dispose it.</returns>
    public static X509Certificate2 Create(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={HostName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(HostName);
        request.CertificateExtensions.Add(san.Build());
        using var ephemeral = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        // A PKCS#12 round trip gives a key that every platform's TLS stack accepts for a server.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>The SHA-256 of the certificate's DER bytes, lowercase hex.</summary>
    /// <param name="certificate">The certificate.</param>
    /// <returns>64 hex digits.</returns>
    public static string Fingerprint(X509Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToHexStringLower(SHA256.HashData(certificate.GetRawCertData()));
    }

    /// <summary>Whether two fingerprints are equal (case-insensitive, colons ignored), in constant time.</summary>
    /// <param name="actual">The certificate's fingerprint.</param>
    /// <param name="pinned">The pinned one.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public static bool FingerprintsEqual(string actual, string pinned)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(pinned);
        var a = System.Text.Encoding.ASCII.GetBytes(Normalize(actual));
        var b = System.Text.Encoding.ASCII.GetBytes(Normalize(pinned));
        return CryptographicOperations.FixedTimeEquals(a, b);
    }

    private static string Normalize(string fingerprint)
        => fingerprint.Replace(":", string.Empty, StringComparison.Ordinal).Trim().ToLowerInvariant();
}
