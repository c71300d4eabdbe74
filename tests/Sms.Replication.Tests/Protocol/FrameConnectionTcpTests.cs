using System.Buffers;
using System.Net.Sockets;
using Sms.Protocol;

namespace Sms.Replication.Tests.Protocol;

public sealed class FrameConnectionTcpTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ReadFrameAsync_FramesOverLoopbackTcp_ReturnsThemInOrder()
    {
        // Given
        var (client, server) = await LoopbackTcpPair.ConnectAsync();
        await using var writer = new FrameConnection(client);
        await using var reader = new FrameConnection(server);
        var random = new Random(7);
        var payloads = Enumerable.Range(0, 200).Select(i =>
        {
            var payload = new byte[random.Next(0, 20_000)];
            random.NextBytes(payload);
            return payload;
        }).ToList();

        // When
        var writing = Task.Run(async () =>
        {
            await writer.SendPreambleAsync();
            for (var i = 0; i < payloads.Count; i++)
            {
                writer.Write(FrameType.Block, FrameFlags.None, (long)i << 20, payloads[i].Length, new UInt128(0, (ulong)i), payloads[i]);
                if (i % 5 == 0)
                {
                    await writer.FlushAsync();
                }
            }

            await writer.FlushAsync();
        });
        var version = await reader.ReadPreambleAsync().AsTask().WaitAsync(Timeout);
        var received = new List<(FrameHeader Header, byte[] Payload)>();
        for (var i = 0; i < payloads.Count; i++)
        {
            var (header, payload) = await reader.ReadFrameAsync(32 * 1024).AsTask().WaitAsync(Timeout);
            received.Add((header, payload.ToArray()));
        }

        await writing.WaitAsync(Timeout);

        // Then
        Assert.Equal(ProtocolConstants.Version, version);
        for (var i = 0; i < payloads.Count; i++)
        {
            Assert.Equal(new FrameHeader(FrameType.Block, FrameFlags.None, payloads[i].Length, (long)i << 20, payloads[i].Length, new UInt128(0, (ulong)i)), received[i].Header);
            Assert.Equal(payloads[i], received[i].Payload);
        }
    }

    [Fact]
    public async Task ReadFrameAsync_TcpPeerClosesMidFrame_ThrowsIOExceptionSayingMiddleOfFrame()
    {
        // Given
        var (client, server) = await LoopbackTcpPair.ConnectAsync();
        await using var reader = new FrameConnection(server);
        var frame = new TestFrame(FrameType.Block, FrameFlags.None, 0, 1000, UInt128.One, new byte[1000]).Encode();
        await client.WriteAsync(frame.AsMemory(0, 500));
        await client.FlushAsync();
        client.Socket.Shutdown(SocketShutdown.Send);

        // When
        var ex = await Assert.ThrowsAsync<IOException>(() => reader.ReadFrameAsync(4096).AsTask().WaitAsync(Timeout));

        // Then
        Assert.Contains("peer closed the connection in the middle of a frame", ex.Message, StringComparison.Ordinal);
        Assert.Contains("500 bytes", ex.Message, StringComparison.Ordinal);
        await client.DisposeAsync();
    }
}
