using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Sms.Protocol;
using Sms.Replication;

namespace Sms.Transport;

/// <summary>Opens a TLS 1.3 connection to a receiver and pins its certificate by SHA-256 fingerprint.</summary>
public static class ReplicationConnector
{
    /// <summary>Connects, authenticates the receiver by its pinned fingerprint, and exchanges preambles.</summary>
    /// <param name="pairing">The receiver's endpoint, fingerprint and token.</param>
    /// <param name="readBufferSize">The read buffer size for frames.</param>
    /// <param name="cancellationToken">Cancels the connection attempt.</param>
    /// <returns>The framed connection; dispose it.</returns>
    /// <exception cref="SmsException">
    /// The receiver is unreachable (<see cref="SmsErrorCode.ConnectionLost"/>, transient) or presented a certificate
    /// whose fingerprint is not the pinned one (<see cref="SmsErrorCode.TlsAuthenticationFailed"/>).
    /// </exception>
    public static async Task<FrameConnection> ConnectAsync(ReceiverPairing pairing, int readBufferSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pairing);
        var (host, port) = ParseEndpoint(pairing.Endpoint);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new SmsException(SmsErrorCode.ConnectionLost, $"Cannot connect to the receiver at {pairing.Endpoint}: {ex.Message}", ex) { IsTransient = true };
        }

        string? presented = null;
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = SessionCertificate.HostName,
                    EnabledSslProtocols = SslProtocols.Tls13,
                    CipherSuitesPolicy = TlsPolicy.CipherSuites,
                    RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    {
                        if (certificate is null)
                        {
                            return false;
                        }

                        presented = SessionCertificate.Fingerprint(certificate);
                        return SessionCertificate.FingerprintsEqual(presented, pairing.Fingerprint);
                    },
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationException ex)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            var why = presented is null
                ? $"TLS handshake with {pairing.Endpoint} failed: {ex.Message}"
                : $"The receiver at {pairing.Endpoint} presented certificate fingerprint {presented}, not the pinned {pairing.Fingerprint}; refusing to send data.";
            throw new SmsException(SmsErrorCode.TlsAuthenticationFailed, why, ex);
        }
        catch (IOException ex)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new SmsException(SmsErrorCode.ConnectionLost, $"The connection to {pairing.Endpoint} broke during the TLS handshake: {ex.Message}", ex) { IsTransient = true };
        }

        var connection = new FrameConnection(ssl, readBufferSize);
        try
        {
            await connection.SendPreambleAsync(cancellationToken).ConfigureAwait(false);
            await connection.ReadPreambleAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Whether the receiver is on this machine (loopback): there the "link" is a memory copy, and compression only moves
    /// the bottleneck to the CPU both processes share, so adaptive compression stays off.
    /// </summary>
    /// <param name="pairing">The receiver.</param>
    /// <returns><see langword="true"/> for <c>localhost</c> and loopback addresses.</returns>
    public static bool IsLoopback(ReceiverPairing pairing)
    {
        ArgumentNullException.ThrowIfNull(pairing);
        var (host, _) = ParseEndpoint(pairing.Endpoint);
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address));
    }

    /// <summary>Splits <c>host:port</c> (IPv6 in brackets); the port must be 1–65535.</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <returns>The host and port.</returns>
    /// <exception cref="SmsException">The endpoint is malformed.</exception>
    public static (string Host, int Port) ParseEndpoint(string endpoint)
    {
        var (host, port) = ParseEndpointAllowingPortZero(endpoint);
        return port > 0 ? (host, port) : throw new SmsException(SmsErrorCode.InvalidState, $"'{endpoint}' has no port to connect to.");
    }

    /// <summary>Splits <c>host:port</c> (IPv6 in brackets); port 0 (pick a free one) is allowed, for listening.</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <returns>The host and port.</returns>
    /// <exception cref="SmsException">The endpoint is malformed.</exception>
    public static (string Host, int Port) ParseEndpointAllowingPortZero(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var colon = endpoint.LastIndexOf(':');
        if (colon > 0
            && int.TryParse(endpoint.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            && port is >= 0 and < 65536)
        {
            var host = endpoint[..colon];
            if (host.StartsWith('[') && host.EndsWith(']'))
            {
                host = host[1..^1];
            }

            if (host.Length > 0 && (!host.Contains(':', StringComparison.Ordinal) || IPAddress.TryParse(host, out _)))
            {
                return (host, port);
            }
        }

        throw new SmsException(SmsErrorCode.InvalidState, $"'{endpoint}' is not a host:port endpoint.");
    }
}
