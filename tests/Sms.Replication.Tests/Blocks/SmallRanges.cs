using FsCheck;
using FsCheck.Fluent;
using Sms.Blocks;

namespace Sms.Replication.Tests.Blocks;

/// <summary>Ranges over small coordinates (bytes 0..79), so that a brute-force set of bytes is an exact model.</summary>
public static class SmallRanges
{
    /// <summary>The coordinate space the model covers.</summary>
    public const int Space = 96;

    /// <summary>A range with an offset below 64 and a length up to 16 (empty ones included).</summary>
    public static Arbitrary<BlockRange> Range()
        => Arb.From(
            from offset in Gen.Choose(0, 63)
            from length in Gen.Frequency((1, Gen.Constant(0)), (5, Gen.Choose(1, 16)))
            select new BlockRange(offset, length));

    /// <summary>The bytes a list covers.</summary>
    public static bool[] Bytes(IEnumerable<BlockRange> ranges)
    {
        var covered = new bool[Space];
        foreach (var range in ranges)
        {
            for (var at = range.Offset; at < range.End; at++)
            {
                covered[at] = true;
            }
        }

        return covered;
    }

    /// <summary>An ascending, non-overlapping list that may have touching and empty ranges: consecutive sorted points paired up.</summary>
    public static List<BlockRange> Disjoint(IEnumerable<BlockRange> seeds)
    {
        var points = seeds.SelectMany(r => new[] { r.Offset, r.End }).Order().ToList();
        var result = new List<BlockRange>();
        for (var i = 0; i + 1 < points.Count; i += 2)
        {
            result.Add(BlockRange.FromBounds(points[i], points[i + 1]));
        }

        return result;
    }

    /// <summary>Asserts the list is ascending, has no empty range and no two ranges overlap or touch.</summary>
    public static void AssertCanonical(IReadOnlyList<BlockRange> ranges)
    {
        for (var i = 0; i < ranges.Count; i++)
        {
            Assert.True(ranges[i].Length > 0, $"range {i} is empty");
            if (i > 0)
            {
                Assert.True(ranges[i - 1].End < ranges[i].Offset, $"ranges {i - 1} and {i} overlap or touch: {ranges[i - 1]}, {ranges[i]}");
            }
        }
    }
}
