using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Sms.Protocol;

namespace Sms.Replication.Tests.Integration;

/// <summary>A hand-driven source for hostile-input tests: TLS without pinning, then whatever frames a test writes.</summary>
public sealed class RawSource : IAsyncDisposable
{
    private RawSource(FrameConnection connection)
    {
        Connection = connection;
    }

    public FrameConnection Connection { get; }

    public static async Task<RawSource> ConnectAsync(ReceiverPairing pairing, bool sendPreamble = true)
    {
        var (host, port) = Sms.Transport.ReplicationConnector.ParseEndpoint(pairing.Endpoint);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(host, port);
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true));
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "sms-receiver",
            EnabledSslProtocols = SslProtocols.Tls13,
#pragma warning disable CA5359 // a hostile source does not care whom it talks to
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
#pragma warning restore CA5359
        });
        var connection = new FrameConnection(ssl);
        if (sendPreamble)
        {
            await connection.SendPreambleAsync();
            await connection.ReadPreambleAsync();
        }

        return new RawSource(connection);
    }

    public static byte[] Hello(string token, string volume, long length, int blockSize = 1 << 20, bool reset = false)
        => Encoding.UTF8.GetBytes($"{{\"token\":\"{token}\",\"volume\":\"{volume}\",\"sourceLength\":{length},\"blockSize\":{blockSize},\"reset\":{(reset ? "true" : "false")}}}");

    public async Task SendHelloAsync(ReceiverPairing pairing, string volume, long length)
    {
        await Connection.SendAsync(FrameType.Hello, 0, 0, Hello(pairing.Token, volume, length));
        var (header, _) = await Connection.ReadFrameAsync(ProtocolConstants.MaxControlPayload);
        Assert.Equal(FrameType.HelloAck, header.Type);
    }

    /// <summary>Reads frames until an Error frame; returns its JSON text.</summary>
    public async Task<string> ReadErrorAsync()
    {
        while (true)
        {
            var (header, payload) = await Connection.ReadFrameAsync(ProtocolConstants.MaxControlPayload);
            if (header.Type == FrameType.Error)
            {
                return Encoding.UTF8.GetString(payload.ToArray());
            }
        }
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
