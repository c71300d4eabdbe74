using System.Buffers;
using FsCheck.Xunit;
using Sms.Protocol;

namespace Sms.Replication.Tests.Protocol;

public sealed class FrameSegmentationTests
{
    [Property(MaxTest = 150, Arbitrary = [typeof(FrameArbitraries)])]
    public void TryReadFrame_SeveralFramesInArbitrarySegments_ParsesIdenticalFrames(TestFrame[] frames, int[] cutSeeds)
    {
        // Given
        var bytes = TestFrame.EncodeAll(frames);
        var buffer = SegmentedSequence.Split(bytes, SegmentedSequence.CutPoints(cutSeeds, bytes.Length));
        var maxPayload = frames.Length == 0 ? 0 : frames.Max(f => f.Payload.Length);

        // When
        var parsed = FrameParsing.ReadAll(buffer, maxPayload);

        // Then
        Assert.Equal(frames.Length, parsed.Count);
        for (var i = 0; i < frames.Length; i++)
        {
            Assert.Equal(frames[i].ExpectedHeader, parsed[i].Header);
            Assert.Equal(frames[i].Payload, parsed[i].Payload);
        }
    }

    [Property(MaxTest = 100, Arbitrary = [typeof(FrameArbitraries)])]
    public void TryReadFrame_OneByteSegments_ParsesIdenticalFrames(TestFrame first, TestFrame second)
    {
        // Given
        var bytes = TestFrame.EncodeAll([first, second]);
        var buffer = SegmentedSequence.Split(bytes, Enumerable.Range(1, bytes.Length - 1));

        // When
        var parsed = FrameParsing.ReadAll(buffer, Math.Max(first.Payload.Length, second.Payload.Length));

        // Then
        Assert.Equal([first.ExpectedHeader, second.ExpectedHeader], parsed.Select(p => p.Header));
        Assert.Equal(first.Payload, parsed[0].Payload);
        Assert.Equal(second.Payload, parsed[1].Payload);
    }

    [Property(MaxTest = 100, Arbitrary = [typeof(FrameArbitraries)])]
    public void TryReadFrame_SegmentedStream_PayloadSlicesTheBufferAndAdvancesPastTheFrame(TestFrame frame, TestFrame next, int[] cutSeeds)
    {
        // Given
        var bytes = TestFrame.EncodeAll([frame, next]);
        var buffer = SegmentedSequence.Split(bytes, SegmentedSequence.CutPoints(cutSeeds, bytes.Length));
        var original = buffer;

        // When
        var complete = FrameReader.TryReadFrame(ref buffer, int.MaxValue, out _, out var payload);

        // Then
        Assert.True(complete);
        var frameLength = ProtocolConstants.HeaderSize + frame.Payload.Length;
        Assert.Equal(original.GetPosition(frameLength), buffer.Start);
        Assert.Equal(original.GetPosition(ProtocolConstants.HeaderSize), payload.Start);
        Assert.Equal(bytes.Length - frameLength, buffer.Length);
        Assert.Equal(bytes.AsSpan(frameLength).ToArray(), buffer.ToArray());
    }
}
