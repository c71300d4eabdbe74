using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Sms.Protocol;
using Sms.Replication;

namespace Sms.Integration.Tests.Hostile;

/// <summary>A hand-driven client for hostile tests: TLS 1.3 without pinning, then whatever bytes a test writes.</summary>
public sealed class RawClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly SslStream _ssl;

    private RawClient(Socket socket, SslStream ssl)
    {
        _socket = socket;
        _ssl = ssl;
        Connection = new FrameConnection(ssl);
    }

    public FrameConnection Connection { get; }

    public static async Task<RawClient> ConnectAsync(ReceiverPairing pairing, bool preamble = true)
    {
        var (host, port) = Sms.Transport.ReplicationConnector.ParseEndpoint(pairing.Endpoint);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(host, port);
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true));
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "sms-receiver",
            EnabledSslProtocols = SslProtocols.Tls13,
#pragma warning disable CA5359 // a hostile client does not care whom it talks to
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
#pragma warning restore CA5359
        });
        var client = new RawClient(socket, ssl);
        if (preamble)
        {
            await client.Connection.SendPreambleAsync();
            await client.Connection.ReadPreambleAsync();
        }

        return client;
    }

    public static byte[] Hello(string token, string volume, long length, int blockSize = 1 << 20, string? kind = null)
    {
        var kindField = kind is null ? string.Empty : $",\"kind\":\"{kind}\",\"tree\":\"{volume}\"";
        return Encoding.UTF8.GetBytes($"{{\"token\":\"{token}\",\"volume\":\"{volume}\",\"sourceLength\":{length},\"blockSize\":{blockSize},\"reset\":true{kindField}}}");
    }

    /// <summary>Writes raw bytes (frames a test built) and flushes.</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        Connection.Output.Write(bytes.Span);
        await Connection.FlushAsync();
    }

    /// <summary>Sends Hello; returns "HelloAck" or the Error frame's text.</summary>
    public async Task<string> HelloAsync(byte[] hello)
    {
        await Connection.SendAsync(FrameType.Hello, 0, 0, hello);
        var (header, payload) = await Connection.ReadFrameAsync(ProtocolConstants.MaxControlPayload);
        return header.Type switch
        {
            FrameType.HelloAck => "HelloAck",
            FrameType.Error => Encoding.UTF8.GetString(payload.ToArray()),
            _ => header.Type.ToString(),
        };
    }

    /// <summary>
    /// Reads until the receiver closes: returns the text of its Error frame, if it sent one, and whether it closed
    /// within <paramref name="timeout"/>.
    /// </summary>
    public async Task<(string? Error, bool Closed)> ReadUntilClosedAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        string? error = null;
        try
        {
            while (true)
            {
                var (header, payload) = await Connection.ReadFrameAsync(ProtocolConstants.MaxControlPayload, cts.Token);
                if (header.Type == FrameType.Error)
                {
                    error = Encoding.UTF8.GetString(payload.ToArray());
                }
            }
        }
        catch (OperationCanceledException)
        {
            return (error, false);
        }
        catch (Exception ex) when (ex is IOException or SmsException or ObjectDisposedException or SocketException)
        {
            return (error, true);
        }
    }

    /// <summary>Ends our side (TLS close_notify, then FIN).</summary>
    public async Task ShutdownAsync()
    {
        try
        {
            await _ssl.ShutdownAsync();
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
