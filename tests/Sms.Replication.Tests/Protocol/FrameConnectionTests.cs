using System.Buffers;
using System.Buffers.Binary;
using Sms.Protocol;

namespace Sms.Replication.Tests.Protocol;

public sealed class FrameConnectionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static List<TestFrame> RandomFrames(int count, int seed)
    {
        var random = new Random(seed);
        var frames = new List<TestFrame>(count);
        for (var i = 0; i < count; i++)
        {
            var payload = new byte[random.Next(4) == 0 ? random.Next(16 * 1024, 48 * 1024) : random.Next(0, 600)];
            random.NextBytes(payload);
            frames.Add(new TestFrame(
                (FrameType)random.Next(1, 12),
                (FrameFlags)random.Next(0, 3),
                random.NextInt64(0, long.MaxValue),
                random.Next(),
                new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64()),
                payload));
        }

        return frames;
    }

    [Fact]
    public async Task ReadFrameAsync_ManyFramesWrittenByPeer_ReturnsThemInOrder()
    {
        // Given
        var (left, right) = DuplexPipeStream.CreatePair();
        var reader = new FrameConnection(left);
        var writer = new FrameConnection(right);
        var frames = RandomFrames(300, seed: 42);
        var expectedBytes = frames.Sum(f => (long)ProtocolConstants.HeaderSize + f.Payload.Length);

        // When
        var writing = Task.Run(async () =>
        {
            for (var i = 0; i < frames.Count; i++)
            {
                var f = frames[i];
                writer.Write(f.Type, f.Flags, f.Offset, f.RawLength, f.Hash, f.Payload);
                if (i % 7 == 0)
                {
                    await writer.FlushAsync();
                }
            }

            await writer.FlushAsync();
        });
        var received = new List<(FrameHeader Header, byte[] Payload)>();
        for (var i = 0; i < frames.Count; i++)
        {
            var (header, payload) = await reader.ReadFrameAsync(64 * 1024).AsTask().WaitAsync(Timeout);
            received.Add((header, payload.ToArray()));
        }

        await writing.WaitAsync(Timeout);

        // Then
        for (var i = 0; i < frames.Count; i++)
        {
            Assert.Equal(frames[i].ExpectedHeader, received[i].Header);
            Assert.Equal(frames[i].Payload, received[i].Payload);
        }

        Assert.Equal(expectedBytes, writer.BytesWritten);
        await writer.DisposeAsync();
        await reader.DisposeAsync();
    }

    [Fact]
    public async Task ReadFrameAsync_PeerClosesBetweenFrames_ThrowsIOExceptionThatThePeerClosed()
    {
        // Given
        var (left, right) = DuplexPipeStream.CreatePair();
        await using var reader = new FrameConnection(left);
        var writer = new FrameConnection(right);
        await writer.SendAsync(FrameType.Bye, 0, 0, ReadOnlyMemory<byte>.Empty);
        await writer.DisposeAsync();

        // When
        var (header, _) = await reader.ReadFrameAsync(0).AsTask().WaitAsync(Timeout);
        var ex = await Assert.ThrowsAsync<IOException>(() => reader.ReadFrameAsync(0).AsTask().WaitAsync(Timeout));

        // Then
        Assert.Equal(FrameType.Bye, header.Type);
        Assert.Equal("The peer closed the connection.", ex.Message);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(ProtocolConstants.HeaderSize)]
    [InlineData(ProtocolConstants.HeaderSize + 30)]
    [InlineData(ProtocolConstants.HeaderSize + 99)]
    public async Task ReadFrameAsync_PeerClosesMidFrame_ThrowsIOExceptionSayingMiddleOfFrame(int bytesSent)
    {
        // Given
        var (left, right) = DuplexPipeStream.CreatePair();
        await using var reader = new FrameConnection(left);
        var frame = new TestFrame(FrameType.Block, FrameFlags.None, 0, 100, new UInt128(1, 1), new byte[100]).Encode();
        await right.WriteAsync(frame.AsMemory(0, bytesSent));
        await right.FlushAsync();
        await right.DisposeAsync();

        // When
        var ex = await Assert.ThrowsAsync<IOException>(() => reader.ReadFrameAsync(1000).AsTask().WaitAsync(Timeout));

        // Then
        Assert.Contains("peer closed the connection in the middle of a frame", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"{bytesSent} bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadFrameAsync_HeaderAnnouncesOversizedPayload_ThrowsFrameTooLargeWithoutWaitingForPayload()
    {
        // Given
        var (left, right) = DuplexPipeStream.CreatePair();
        await using var reader = new FrameConnection(left);
        var header = FrameParsing.ValidHeader(payloadLength: 1 << 20);
        await right.WriteAsync(header);
        await right.FlushAsync();

        // When
        var ex = await Assert.ThrowsAsync<ReplicationProtocolException>(() => reader.ReadFrameAsync(64 * 1024).AsTask().WaitAsync(Timeout));

        // Then
        Assert.Equal(SmsErrorCode.FrameTooLarge, ex.ErrorCode);
        await right.DisposeAsync();
    }

    [Fact]
    public async Task ReadPreambleAsync_PeerSentPreamble_ReturnsVersionInBothDirections()
    {
        // Given
        var (left, right) = DuplexPipeStream.CreatePair();
        await using var a = new FrameConnection(left);
        await using var b = new FrameConnection(right);

        // When
        await a.SendPreambleAsync();
        await b.SendPreambleAsync();
        var seenByB = await b.ReadPreambleAsync().AsTask().WaitAsync(Timeout);
        var seenByA = await a.ReadPreambleAsync().AsTask().WaitAsync(Timeout);

        // Then
        Assert.Equal(ProtocolConstants.Version, seenByA);
        Assert.Equal(ProtocolConstants.Version, seenByB);
        Assert.Equal(ProtocolConstants.PreambleSize, a.BytesWritten);
    }

    [Fact]
    public async Task ReadPreambleAsync_PreambleFollowedByFrame_LeavesFrameReadable()
    {
        // Given
        var (left, right) = DuplexPipeStream.CreatePair();
        await using var reader = new FrameConnection(left);
        await using var writer = new FrameConnection(right);
        FrameWriter.WritePreamble(writer.Output);
        writer.Write(FrameType.Ack, FrameFlags.None, 17, 0, UInt128.Zero, []);
        await writer.FlushAsync();

        // When
        var version = await reader.ReadPreambleAsync().AsTask().WaitAsync(Timeout);
        var (header, _) = await reader.ReadFrameAsync(0).AsTask().WaitAsync(Timeout);

        // Then
        Assert.Equal(ProtocolConstants.Version, version);
        Assert.Equal(FrameType.Ack, header.Type);
        Assert.Equal(17, header.Offset);
    }

    [Fact]
    public async Task ReadPreambleAsync_WrongMagic_ThrowsProtocolViolation()
    {
        // Given
        var (left, right) = DuplexPipeStream.CreatePair();
        await using var reader = new FrameConnection(left);
        await right.WriteAsync("HTTP/1.1"u8.ToArray());
        await right.FlushAsync();

        // When
        var ex = await Assert.ThrowsAsync<ReplicationProtocolException>(() => reader.ReadPreambleAsync().AsTask().WaitAsync(Timeout));

        // Then
        Assert.Equal(SmsErrorCode.ProtocolViolation, ex.ErrorCode);
        await right.DisposeAsync();
    }

    [Fact]
    public async Task ReadPreambleAsync_UnsupportedVersion_ThrowsProtocolViolation()
    {
        // Given
        var (left, right) = DuplexPipeStream.CreatePair();
        await using var reader = new FrameConnection(left);
        var preamble = new byte[ProtocolConstants.PreambleSize];
        BinaryPrimitives.WriteUInt32BigEndian(preamble, ProtocolConstants.Magic);
        BinaryPrimitives.WriteUInt16BigEndian(preamble.AsSpan(4), ProtocolConstants.Version + 1);
        await right.WriteAsync(preamble);
        await right.FlushAsync();

        // When
        var ex = await Assert.ThrowsAsync<ReplicationProtocolException>(() => reader.ReadPreambleAsync().AsTask().WaitAsync(Timeout));

        // Then
        Assert.Equal(SmsErrorCode.ProtocolViolation, ex.ErrorCode);
        Assert.Contains("version", ex.Message, StringComparison.Ordinal);
        await right.DisposeAsync();
    }

    [Fact]
    public async Task ReadPreambleAsync_PeerClosesEarly_ThrowsIOException()
    {
        // Given
        var (left, right) = DuplexPipeStream.CreatePair();
        await using var reader = new FrameConnection(left);
        await right.WriteAsync("SMS"u8.ToArray());
        await right.DisposeAsync();

        // When
        var ex = await Assert.ThrowsAsync<IOException>(() => reader.ReadPreambleAsync().AsTask().WaitAsync(Timeout));

        // Then
        Assert.Contains("peer closed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryReadBufferedFrame_SeveralFramesFlushedTogether_ReturnsBufferedFramesThenFalse()
    {
        // Given
        var (left, right) = DuplexPipeStream.CreatePair();
        await using var reader = new FrameConnection(left);
        await using var writer = new FrameConnection(right);
        for (var i = 1; i <= 3; i++)
        {
            writer.Write(FrameType.Ack, FrameFlags.None, i, 0, UInt128.Zero, [(byte)i]);
        }

        await writer.FlushAsync();

        // When
        var (first, firstPayload) = await reader.ReadFrameAsync(16).AsTask().WaitAsync(Timeout);
        var firstByte = firstPayload.FirstSpan[0];
        var secondBuffered = reader.TryReadBufferedFrame(16, out var second, out var secondPayload);
        var secondByte = secondPayload.FirstSpan[0];
        var thirdBuffered = reader.TryReadBufferedFrame(16, out var third, out _);
        var fourthBuffered = reader.TryReadBufferedFrame(16, out _, out _);

        // Then
        Assert.Equal(1, first.Offset);
        Assert.Equal(1, firstByte);
        Assert.True(secondBuffered);
        Assert.Equal(2, second.Offset);
        Assert.Equal(2, secondByte);
        Assert.True(thirdBuffered);
        Assert.Equal(3, third.Offset);
        Assert.False(fourthBuffered);
    }
}
