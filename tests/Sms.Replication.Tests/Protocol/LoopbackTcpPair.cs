using System.Net;
using System.Net.Sockets;

namespace Sms.Replication.Tests.Protocol;

/// <summary>A connected pair of TCP streams over the loopback interface.</summary>
internal static class LoopbackTcpPair
{
    public static async Task<(NetworkStream Client, NetworkStream Server)> ConnectAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var accepting = listener.AcceptSocketAsync();
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        var server = await accepting;
        return (new NetworkStream(client, ownsSocket: true), new NetworkStream(server, ownsSocket: true));
    }
}
