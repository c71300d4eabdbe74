namespace Sms.Replication;

/// <summary>
/// What a source needs to reach a receiver and trust it: the endpoint, the SHA-256 fingerprint of the receiver's
/// per-session certificate (pinned), and the bearer token. The receiver writes it as the pairing file.
/// </summary>
/// <param name="Endpoint">The receiver's <c>host:port</c>.</param>
/// <param name="Fingerprint">The SHA-256 of the certificate's DER bytes, as lowercase hex.</param>
/// <param name="Token">The bearer token, a secret: never log it.</param>
public sealed record ReceiverPairing(string Endpoint, string Fingerprint, string Token)
{
    /// <summary>Prints the pairing without the token.</summary>
    /// <returns>The endpoint and fingerprint.</returns>
    public override string ToString() => $"{Endpoint} (sha256 {Fingerprint})";
}
