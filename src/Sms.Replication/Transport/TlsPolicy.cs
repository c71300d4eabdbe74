using System.Net.Security;

namespace Sms.Transport;

/// <summary>The TLS settings both ends use: TLS 1.3 only, AES-128-GCM preferred (the fastest suite with AES-NI).</summary>
internal static class TlsPolicy
{
    /// <summary>The cipher suites in order of preference, where the platform lets us choose (Linux, macOS).</summary>
    public static CipherSuitesPolicy? CipherSuites { get; } = OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()
        ? new CipherSuitesPolicy(
        [
            TlsCipherSuite.TLS_AES_128_GCM_SHA256,
            TlsCipherSuite.TLS_AES_256_GCM_SHA384,
            TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        ])
        : null;
}
