using System.Buffers;
using FsCheck.Xunit;
using Sms.Protocol;

namespace Sms.Replication.Tests.Protocol;

public sealed class FrameRoundTripTests
{
    [Property(MaxTest = 200, Arbitrary = [typeof(FrameArbitraries)])]
    public void WriteFrame_ArbitraryFrame_ReadsBackSameHeaderAndPayload(TestFrame frame)
    {
        // Given
        var writer = new ArrayBufferWriter<byte>();

        // When
        var written = FrameWriter.WriteFrame(writer, frame.Type, frame.Flags, frame.Offset, frame.RawLength, frame.Hash, frame.Payload);
        var buffer = new ReadOnlySequence<byte>(writer.WrittenMemory);
        var complete = FrameReader.TryReadFrame(ref buffer, frame.Payload.Length, out var header, out var payload);

        // Then
        Assert.Equal(ProtocolConstants.HeaderSize + frame.Payload.Length, written);
        Assert.Equal(written, writer.WrittenCount);
        Assert.True(complete);
        Assert.Equal(frame.ExpectedHeader, header);
        Assert.Equal(frame.Payload, payload.ToArray());
        Assert.Equal(0, buffer.Length);
    }

    [Property(MaxTest = 200, Arbitrary = [typeof(FrameArbitraries)])]
    public void WriteHeader_ArbitraryHeader_ParseHeaderReturnsIt(TestFrame frame)
    {
        // Given
        var bytes = new byte[ProtocolConstants.HeaderSize];
        var expected = frame.ExpectedHeader;

        // When
        FrameWriter.WriteHeader(bytes, expected);
        var parsed = FrameReader.ParseHeader(bytes, int.MaxValue);

        // Then
        Assert.Equal(expected, parsed);
    }

    [Fact]
    public void WriteHeader_KnownHeader_MatchesWireDiagram()
    {
        // Given
        var header = new FrameHeader(FrameType.Block, FrameFlags.Zstd, 0x01020304, 0x1112131415161718, 0x21222324, new UInt128(0x3132333435363738, 0x393A3B3C3D3E3F40));
        var bytes = new byte[ProtocolConstants.HeaderSize];

        // When
        FrameWriter.WriteHeader(bytes, header);

        // Then
        byte[] expected =
        [
            0x01, 0x02, 0x03, 0x04, 3, 2, 0, 0,
            0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,
            0x21, 0x22, 0x23, 0x24, 0, 0, 0, 0,
            0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F, 0x40,
        ];
        Assert.Equal(expected, bytes);
    }
}
