using System.Buffers;

namespace Sms.Replication.Benchmarks.Infrastructure;

/// <summary>Builds multi-segment sequences, as a <c>PipeReader</c> hands them out.</summary>
public static class Sequences
{
    /// <summary>
    /// Copies <paramref name="bytes"/> into separate segments: the first of <paramref name="firstSegment"/> bytes,
    /// the others of <paramref name="segmentSize"/> bytes (the last one shorter).
    /// </summary>
    /// <param name="bytes">The content.</param>
    /// <param name="firstSegment">The first segment's length.</param>
    /// <param name="segmentSize">The other segments' length.</param>
    /// <returns>The sequence.</returns>
    public static ReadOnlySequence<byte> Segmented(ReadOnlySpan<byte> bytes, int firstSegment, int segmentSize)
    {
        var length = Math.Min(firstSegment, bytes.Length);
        var first = new Segment(bytes[..length].ToArray(), 0);
        var last = first;
        for (var position = length; position < bytes.Length; position += length)
        {
            length = Math.Min(segmentSize, bytes.Length - position);
            last = last.Append(bytes.Slice(position, length).ToArray());
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
