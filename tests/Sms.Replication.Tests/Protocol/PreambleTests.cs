using System.Buffers;
using System.Buffers.Binary;
using FsCheck.Xunit;
using Sms.Protocol;

namespace Sms.Replication.Tests.Protocol;

public sealed class PreambleTests
{
    private static byte[] Preamble()
    {
        var writer = new ArrayBufferWriter<byte>();
        FrameWriter.WritePreamble(writer);
        return writer.WrittenSpan.ToArray();
    }

    [Fact]
    public void WritePreamble_Always_WritesMagicVersionAndZero()
    {
        // Given
        var writer = new ArrayBufferWriter<byte>();

        // When
        FrameWriter.WritePreamble(writer);

        // Then
        Assert.Equal(new byte[] { (byte)'S', (byte)'M', (byte)'S', (byte)'R', 0, 1, 0, 0 }, writer.WrittenSpan.ToArray());
    }

    [Property(MaxTest = 100)]
    public void TryReadPreamble_WrittenPreambleInArbitrarySegments_ReturnsVersionAndAdvances(int[] cutSeeds, byte[] trailing)
    {
        // Given
        byte[] bytes = [.. Preamble(), .. trailing];
        var buffer = SegmentedSequence.Split(bytes, SegmentedSequence.CutPoints(cutSeeds, bytes.Length));

        // When
        var complete = FrameReader.TryReadPreamble(ref buffer, out var version);

        // Then
        Assert.True(complete);
        Assert.Equal(ProtocolConstants.Version, version);
        Assert.Equal(trailing, buffer.ToArray());
    }

    [Fact]
    public void TryReadPreamble_EveryStrictPrefix_ReturnsFalseAndLeavesBufferUntouched()
    {
        // Given
        var bytes = Preamble();
        for (var length = 0; length < bytes.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes, 0, length);
            var before = buffer;

            // When
            var complete = FrameReader.TryReadPreamble(ref buffer, out _);

            // Then
            Assert.False(complete);
            Assert.Equal(before.Start, buffer.Start);
            Assert.Equal(before.End, buffer.End);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void TryReadPreamble_WrongMagic_ThrowsProtocolViolation(int position)
    {
        // Given
        var bytes = Preamble();
        bytes[position] ^= 0x20;

        // When
        var ex = Assert.Throws<ReplicationProtocolException>(() =>
        {
            var buffer = new ReadOnlySequence<byte>(bytes);
            return FrameReader.TryReadPreamble(ref buffer, out _);
        });

        // Then
        Assert.Equal(SmsErrorCode.ProtocolViolation, ex.ErrorCode);
        Assert.Contains("wrong magic", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryReadPreamble_HttpRequest_ThrowsProtocolViolation()
    {
        // Given
        var bytes = "GET / HTTP/1.1\r\n"u8.ToArray();

        // When
        var ex = Assert.Throws<ReplicationProtocolException>(() =>
        {
            var buffer = new ReadOnlySequence<byte>(bytes);
            return FrameReader.TryReadPreamble(ref buffer, out _);
        });

        // Then
        Assert.Equal(SmsErrorCode.ProtocolViolation, ex.ErrorCode);
    }

    [Fact]
    public void TryReadPreamble_ReservedBitsSet_ThrowsProtocolViolation()
    {
        // Given
        var bytes = Preamble();
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(6), 1);

        // When
        var ex = Assert.Throws<ReplicationProtocolException>(() =>
        {
            var buffer = new ReadOnlySequence<byte>(bytes);
            return FrameReader.TryReadPreamble(ref buffer, out _);
        });

        // Then
        Assert.Equal(SmsErrorCode.ProtocolViolation, ex.ErrorCode);
    }

    [Fact]
    public void TryReadPreamble_OtherVersion_ReturnsThatVersion()
    {
        // Given
        var bytes = Preamble();
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(4), 7);
        var buffer = new ReadOnlySequence<byte>(bytes);

        // When
        var complete = FrameReader.TryReadPreamble(ref buffer, out var version);

        // Then
        Assert.True(complete);
        Assert.Equal(7, version);
    }
}
