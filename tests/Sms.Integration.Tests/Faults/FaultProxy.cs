using System.Net;
using System.Net.Sockets;

namespace Sms.Integration.Tests.Faults;

/// <summary>What a <see cref="FaultProxy"/> does to the source-to-receiver bytes of its first connection.</summary>
public enum LinkFault
{
    /// <summary>Both directions are reset after <c>AtByte</c> bytes: a broken link.</summary>
    Cut,

    /// <summary>Nothing is forwarded for <c>Stall</c> after <c>AtByte</c> bytes, then everything is: a link that hangs and recovers.</summary>
    Stall,

    /// <summary>One bit of byte <c>AtByte</c> is flipped: a corrupting link (inside TLS records, so TLS must catch it).</summary>
    CorruptBit,
}

/// <summary>
/// A loopback TCP proxy of our own that forwards to a receiver and injects one fault into the first connection,
/// upstream (source to receiver); later connections pass untouched.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _connections;

    public FaultProxy(IPEndPoint target, LinkFault fault, long atByte, TimeSpan stall = default)
    {
        _target = target;
        Fault = fault;
        AtByte = atByte;
        StallFor = stall;
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public LinkFault Fault { get; }

    public long AtByte { get; }

    public TimeSpan StallFor { get; }

    /// <summary>Whether the fault happened.</summary>
    public bool Injected { get; private set; }

    public string Endpoint => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var server = new TcpClient();
            await server.ConnectAsync(_target, _stop.Token);
            var faulty = Interlocked.Increment(ref _connections) == 1;
            _ = PumpAsync(client, server, faulty);
        }
    }

    private async Task PumpAsync(TcpClient client, TcpClient server, bool faulty)
    {
        using (client)
        using (server)
        {
            client.NoDelay = server.NoDelay = true;
            var up = CopyAsync(client.GetStream(), server.GetStream(), faulty);
            var down = CopyAsync(server.GetStream(), client.GetStream(), faulty: false);
            await Task.WhenAny(up, down);
            if (up.IsCompletedSuccessfully && up.Result)
            {
                // Cut: reset both sides, as a broken link would (no FIN).
                client.Client.LingerState = new LingerOption(true, 0);
                server.Client.LingerState = new LingerOption(true, 0);
                return;
            }

            await Task.WhenAll(up, down).WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Copies until the end; returns true when the fault cut the connection.</summary>
    private async Task<bool> CopyAsync(NetworkStream from, NetworkStream to, bool faulty)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        var pending = faulty;
        try
        {
            while (true)
            {
                var room = pending && AtByte > total ? (int)Math.Min(buffer.Length, AtByte - total) : buffer.Length;
                var n = await from.ReadAsync(buffer.AsMemory(0, room));
                if (n == 0)
                {
                    to.Socket.Shutdown(SocketShutdown.Send);
                    return false;
                }

                if (pending && total + n > AtByte)
                {
                    // The fault's byte is in this read (reads stop at it, so it is the first).
                    pending = false;
                    Injected = true;
                    switch (Fault)
                    {
                        case LinkFault.Cut:
                            return true;
                        case LinkFault.Stall:
                            await Task.Delay(StallFor);
                            break;
                        case LinkFault.CorruptBit:
                            buffer[AtByte - total] ^= 0x10;
                            break;
                    }
                }

                await to.WriteAsync(buffer.AsMemory(0, n));
                total += n;
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            return false;
        }
    }
}
