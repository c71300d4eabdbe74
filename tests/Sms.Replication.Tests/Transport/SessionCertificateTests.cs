using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Sms.Transport;

namespace Sms.Replication.Tests.Transport;

public sealed class SessionCertificateTests
{
    [Fact]
    public void Create_Now_ReturnsCertificateWithPrivateKeyValidNow()
    {
        // Given
        var now = DateTimeOffset.UtcNow;

        // When
        using var certificate = SessionCertificate.Create(now);

        // Then
        Assert.True(certificate.HasPrivateKey);
        Assert.NotNull(certificate.GetECDsaPrivateKey());
        Assert.True(certificate.NotBefore.ToUniversalTime() <= now.UtcDateTime);
        Assert.True(certificate.NotAfter.ToUniversalTime() > now.UtcDateTime);
        Assert.Equal($"CN={SessionCertificate.HostName}", certificate.Subject);
        Assert.Equal(SessionCertificate.HostName, certificate.GetNameInfo(X509NameType.DnsName, forIssuer: false));
    }

    [Fact]
    public void Create_FixedTime_IsValidFromADayBeforeForThirtyDays()
    {
        // Given
        var now = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

        // When
        using var certificate = SessionCertificate.Create(now);

        // Then
        Assert.Equal(now.AddDays(-1).UtcDateTime, certificate.NotBefore.ToUniversalTime());
        Assert.Equal(now.AddDays(30).UtcDateTime, certificate.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void Fingerprint_Certificate_Is64LowercaseHexOfSha256OfRawData()
    {
        // Given
        using var certificate = SessionCertificate.Create(DateTimeOffset.UtcNow);

        // When
        var fingerprint = SessionCertificate.Fingerprint(certificate);

        // Then
        Assert.Matches("^[0-9a-f]{64}$", fingerprint);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(certificate.RawData)), fingerprint);
    }

    [Fact]
    public void Fingerprint_TwoCertificates_Differ()
    {
        // Given
        using var first = SessionCertificate.Create(DateTimeOffset.UtcNow);
        using var second = SessionCertificate.Create(DateTimeOffset.UtcNow);

        // When
        var a = SessionCertificate.Fingerprint(first);
        var b = SessionCertificate.Fingerprint(second);

        // Then
        Assert.NotEqual(a, b);
        Assert.False(SessionCertificate.FingerprintsEqual(a, b));
    }

    [Fact]
    public void FingerprintsEqual_UppercaseWithColons_ReturnsTrue()
    {
        // Given
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData("certificate"u8));
        var pinned = string.Join(':', fingerprint.ToUpperInvariant().Chunk(2).Select(pair => new string(pair)));

        // When
        var equal = SessionCertificate.FingerprintsEqual(fingerprint, pinned);

        // Then
        Assert.True(equal);
    }

    [Theory]
    [InlineData("ab", "ab ")]
    [InlineData("AB:CD", "abcd")]
    [InlineData("abcd", "ab:cd")]
    public void FingerprintsEqual_SameDigitsDifferentlyWritten_ReturnsTrue(string actual, string pinned)
    {
        // Given / When
        var equal = SessionCertificate.FingerprintsEqual(actual, pinned);

        // Then
        Assert.True(equal);
    }

    [Theory]
    [InlineData("abcd", "abce")]
    [InlineData("abcd", "abc")]
    [InlineData("abcd", "")]
    [InlineData("abcd", "abcdab")]
    public void FingerprintsEqual_DifferentDigits_ReturnsFalse(string actual, string pinned)
    {
        // Given / When
        var equal = SessionCertificate.FingerprintsEqual(actual, pinned);

        // Then
        Assert.False(equal);
    }
}
