using System.Buffers;
using FsCheck.Xunit;
using Sms.Protocol;

namespace Sms.Replication.Tests.Protocol;

public sealed class FramePrefixTests
{
    [Property(MaxTest = 100, Arbitrary = [typeof(FrameArbitraries)])]
    public void TryReadFrame_EveryStrictPrefix_ReturnsFalseAndLeavesBufferUntouched(TestFrame frame, int[] cutSeeds)
    {
        // Given
        var bytes = frame.Encode();
        var whole = SegmentedSequence.Split(bytes, SegmentedSequence.CutPoints(cutSeeds, bytes.Length));

        for (var length = 0; length < bytes.Length; length++)
        {
            var prefix = whole.Slice(0, length);
            var before = prefix;

            // When
            var complete = FrameReader.TryReadFrame(ref prefix, frame.Payload.Length, out _, out var payload);

            // Then
            Assert.False(complete, $"a prefix of {length} of {bytes.Length} bytes was taken for a frame");
            Assert.Equal(before.Start, prefix.Start);
            Assert.Equal(before.End, prefix.End);
            Assert.Equal(0, payload.Length);
        }
    }

    [Fact]
    public void TryReadFrame_WholeFrameThenPartialFrame_ReturnsFirstThenFalse()
    {
        // Given
        var first = new TestFrame(FrameType.Zero, FrameFlags.None, 8192, 4096, UInt128.Zero, []).Encode();
        var second = new TestFrame(FrameType.Block, FrameFlags.Lz4, 0, 3, new UInt128(5, 6), [1, 2, 3]).Encode();
        var buffer = new ReadOnlySequence<byte>([.. first, .. second.AsSpan(0, second.Length - 1)]);

        // When
        var firstComplete = FrameReader.TryReadFrame(ref buffer, 16, out var header, out _);
        var remaining = buffer;
        var secondComplete = FrameReader.TryReadFrame(ref buffer, 16, out _, out _);

        // Then
        Assert.True(firstComplete);
        Assert.Equal(FrameType.Zero, header.Type);
        Assert.False(secondComplete);
        Assert.Equal(remaining.Start, buffer.Start);
        Assert.Equal(second.Length - 1, buffer.Length);
    }
}
