using System.Buffers;
using System.Buffers.Binary;
using FsCheck;
using FsCheck.Xunit;
using Sms.Protocol;

namespace Sms.Replication.Tests.Protocol;

public sealed class FrameHeaderValidationTests
{
    [Property(MaxTest = 200)]
    public void TryReadFrame_PayloadAboveMaxWithOnlyHeaderBuffered_ThrowsFrameTooLarge(NonNegativeInt maxPayload, uint excess, int cutSeed)
    {
        // Given
        var max = maxPayload.Get;
        var announced = (uint)Math.Min(uint.MaxValue, (ulong)max + 1 + (excess % 1_000_000));
        var header = FrameParsing.ValidHeader();
        BinaryPrimitives.WriteUInt32BigEndian(header, announced);
        var buffer = SegmentedSequence.Split(header, SegmentedSequence.CutPoints([cutSeed], header.Length));

        // When
        var ex = Assert.Throws<ReplicationProtocolException>(() => FrameParsing.TryRead(buffer, max));

        // Then
        Assert.Equal(SmsErrorCode.FrameTooLarge, ex.ErrorCode);
    }

    [Theory]
    [InlineData(0x0001_0001u)]
    [InlineData(0x8000_0000u)]
    [InlineData(uint.MaxValue)]
    public void TryReadFrame_HugeAnnouncedPayload_ThrowsFrameTooLarge(uint announced)
    {
        // Given
        var header = FrameParsing.ValidHeader();
        BinaryPrimitives.WriteUInt32BigEndian(header, announced);
        const int max = 64 * 1024;

        // When
        var ex = Assert.Throws<ReplicationProtocolException>(() => FrameParsing.TryRead(header, max));

        // Then
        Assert.Equal(SmsErrorCode.FrameTooLarge, ex.ErrorCode);
    }

    [Fact]
    public void TryReadFrame_PayloadEqualToMaxWithOnlyHeaderBuffered_WaitsForPayload()
    {
        // Given
        var header = FrameParsing.ValidHeader(payloadLength: 1000);

        // When
        var complete = FrameParsing.TryRead(header, 1000);

        // Then
        Assert.False(complete);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(20)]
    [InlineData(128)]
    [InlineData(255)]
    public void TryReadFrame_UnknownType_ThrowsProtocolViolation(byte type)
    {
        // Given
        var header = FrameParsing.ValidHeader();
        header[ProtocolConstants.TypeOffset] = type;

        // When
        var ex = Assert.Throws<ReplicationProtocolException>(() => FrameParsing.TryRead(header, 0));

        // Then
        Assert.Equal(SmsErrorCode.ProtocolViolation, ex.ErrorCode);
        Assert.Contains($"Unknown frame type {type}", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(0x80)]
    [InlineData(0xFF)]
    public void TryReadFrame_UnknownFlags_ThrowsProtocolViolation(byte flags)
    {
        // Given
        var header = FrameParsing.ValidHeader();
        header[ProtocolConstants.FlagsOffset] = flags;

        // When
        var ex = Assert.Throws<ReplicationProtocolException>(() => FrameParsing.TryRead(header, 0));

        // Then
        Assert.Equal(SmsErrorCode.ProtocolViolation, ex.ErrorCode);
    }

    [Theory]
    [InlineData(6, 1)]
    [InlineData(7, 1)]
    [InlineData(7, 0x80)]
    [InlineData(20, 1)]
    [InlineData(21, 0xFF)]
    [InlineData(22, 1)]
    [InlineData(23, 1)]
    public void TryReadFrame_NonZeroReservedByte_ThrowsProtocolViolation(int position, byte value)
    {
        // Given
        var header = FrameParsing.ValidHeader();
        header[position] = value;

        // When
        var ex = Assert.Throws<ReplicationProtocolException>(() => FrameParsing.TryRead(header, 0));

        // Then
        Assert.Equal(SmsErrorCode.ProtocolViolation, ex.ErrorCode);
        Assert.Contains("reserved", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseHeader_OffsetAboveLongMax_ThrowsProtocolViolation()
    {
        // Given
        var header = FrameParsing.ValidHeader();
        BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(ProtocolConstants.OffsetOffset), (ulong)long.MaxValue + 1);

        // When
        var ex = Assert.Throws<ReplicationProtocolException>(() => FrameReader.ParseHeader(header, 0));

        // Then
        Assert.Equal(SmsErrorCode.ProtocolViolation, ex.ErrorCode);
    }

    [Fact]
    public void ParseHeader_RawLengthAboveIntMax_ThrowsProtocolViolation()
    {
        // Given
        var header = FrameParsing.ValidHeader();
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(ProtocolConstants.RawLengthOffset), (uint)int.MaxValue + 1);

        // When
        var ex = Assert.Throws<ReplicationProtocolException>(() => FrameReader.ParseHeader(header, 0));

        // Then
        Assert.Equal(SmsErrorCode.ProtocolViolation, ex.ErrorCode);
    }

    [Property(MaxTest = 200, Arbitrary = [typeof(FrameArbitraries)])]
    public void ParseHeader_ValidHeaderWithOneByteChanged_AcceptsOnlyCanonicalHeaders(TestFrame frame, byte position, byte value)
    {
        // Given
        var bytes = new byte[ProtocolConstants.HeaderSize];
        FrameWriter.WriteHeader(bytes, frame.ExpectedHeader);
        bytes[position % ProtocolConstants.HeaderSize] = value;
        FrameHeader parsed;

        // When
        try
        {
            parsed = FrameReader.ParseHeader(bytes, int.MaxValue);
        }
        catch (ReplicationProtocolException ex)
        {
            // Then (rejected): too large only when the length field went beyond the limit.
            var tooLarge = BinaryPrimitives.ReadUInt32BigEndian(bytes) > int.MaxValue;
            Assert.Equal(tooLarge ? SmsErrorCode.FrameTooLarge : SmsErrorCode.ProtocolViolation, ex.ErrorCode);
            return;
        }

        // Then (accepted): the header is the one these bytes encode, field for field.
        var reencoded = new byte[ProtocolConstants.HeaderSize];
        FrameWriter.WriteHeader(reencoded, parsed);
        Assert.Equal(bytes, reencoded);
    }

    [Property(MaxTest = 100)]
    public void TryReadFrame_InvalidTypeInHeaderSplitAcrossSegments_ThrowsProtocolViolation(int cutSeed, int secondCutSeed)
    {
        // Given
        var header = FrameParsing.ValidHeader();
        header[ProtocolConstants.TypeOffset] = 0;
        var buffer = SegmentedSequence.Split(header, SegmentedSequence.CutPoints([cutSeed, secondCutSeed], header.Length));

        // When
        var ex = Assert.Throws<ReplicationProtocolException>(() => FrameParsing.TryRead(buffer, 0));

        // Then
        Assert.Equal(SmsErrorCode.ProtocolViolation, ex.ErrorCode);
    }

    [Fact]
    public void TryReadFrame_FewerThanHeaderBytesWithInvalidType_ReturnsFalseWithoutThrowing()
    {
        // Given
        var header = FrameParsing.ValidHeader();
        header[ProtocolConstants.TypeOffset] = 0;
        var buffer = new ReadOnlySequence<byte>(header, 0, ProtocolConstants.HeaderSize - 1);

        // When
        var complete = FrameParsing.TryRead(buffer, 0);

        // Then
        Assert.False(complete);
    }
}
