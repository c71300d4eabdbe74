using System.Net;
using System.Net.Sockets;

namespace Sms.Replication.Tests.Integration;

/// <summary>
/// A loopback TCP proxy that forwards to a target and cuts both directions once <see cref="CutAfterBytes"/> bytes
/// went from client to server: the fault of a broken link in the middle of a pass.
/// </summary>
public sealed class CuttingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public CuttingProxy(IPEndPoint target, long cutAfterBytes)
    {
        _target = target;
        CutAfterBytes = cutAfterBytes;
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public long CutAfterBytes { get; }

    public bool Cut { get; private set; }

    public string Endpoint => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception)
        {
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var server = new TcpClient();
            await server.ConnectAsync(_target, _stop.Token);
            _ = PumpAsync(client, server);
        }
    }

    private async Task PumpAsync(TcpClient client, TcpClient server)
    {
        using (client)
        using (server)
        {
            var up = CopyAsync(client.GetStream(), server.GetStream(), CutAfterBytes);
            var down = CopyAsync(server.GetStream(), client.GetStream(), long.MaxValue);
            await Task.WhenAny(up, down);
            Cut = up.IsCompletedSuccessfully && up.Result;
            client.Client.LingerState = new LingerOption(true, 0); // RST, like a broken link
            server.Client.LingerState = new LingerOption(true, 0);
        }
    }

    private static async Task<bool> CopyAsync(NetworkStream from, NetworkStream to, long limit)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        try
        {
            while (true)
            {
                var n = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, Math.Max(1, limit - total))));
                if (n == 0)
                {
                    return false;
                }

                await to.WriteAsync(buffer.AsMemory(0, n));
                total += n;
                if (total >= limit)
                {
                    return true;
                }
            }
        }
        catch (IOException)
        {
            return false;
        }
    }
}
