using System.Buffers;

namespace Sms.Replication.Tests.Protocol;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/> values, each segment its own array.</summary>
internal static class SegmentedSequence
{
    /// <summary>Splits <paramref name="data"/> at the given cut points (clamped, sorted; repeats give empty segments).</summary>
    public static ReadOnlySequence<byte> Split(ReadOnlySpan<byte> data, IEnumerable<int> cutPoints)
    {
        var length = data.Length;
        var cuts = cutPoints.Select(c => Math.Clamp(c, 0, length)).Order().ToList();
        cuts.Add(length);
        var first = new Segment(data[..cuts[0]].ToArray(), 0);
        var last = first;
        for (var i = 1; i < cuts.Count; i++)
        {
            last = last.Append(data[cuts[i - 1]..cuts[i]].ToArray());
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Maps arbitrary integers to cut points within <c>[0, length]</c>.</summary>
    public static IEnumerable<int> CutPoints(IEnumerable<int> seeds, int length)
        => seeds.Select(s => (int)((uint)s % (uint)(length + 1)));

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes, long runningIndex)
        {
            Memory = bytes;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] bytes)
        {
            var next = new Segment(bytes, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
