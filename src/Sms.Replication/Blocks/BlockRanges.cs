namespace Sms.Blocks;

/// <summary>Range algebra over ascending, non-overlapping lists of <see cref="BlockRange"/>.</summary>
public static class BlockRanges
{
    /// <summary>Sorts, drops empty ranges and merges overlapping or touching ones.</summary>
    /// <param name="ranges">Any ranges.</param>
    /// <returns>The coalesced list.</returns>
    public static List<BlockRange> Coalesce(IEnumerable<BlockRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var sorted = new List<BlockRange>();
        foreach (var range in ranges)
        {
            if (range.Length > 0)
            {
                sorted.Add(range);
            }
        }

        sorted.Sort(static (a, b) => a.Offset.CompareTo(b.Offset));
        var result = new List<BlockRange>(sorted.Count);
        foreach (var range in sorted)
        {
            if (result.Count > 0 && result[^1].End >= range.Offset)
            {
                var last = result[^1];
                result[^1] = BlockRange.FromBounds(last.Offset, Math.Max(last.End, range.End));
            }
            else
            {
                result.Add(range);
            }
        }

        return result;
    }

    /// <summary>The bytes in both lists.</summary>
    /// <param name="a">An ascending, non-overlapping list.</param>
    /// <param name="b">Another one.</param>
    /// <returns>The intersection, ascending and non-overlapping.</returns>
    public static List<BlockRange> Intersect(IReadOnlyList<BlockRange> a, IReadOnlyList<BlockRange> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var result = new List<BlockRange>();
        int i = 0, j = 0;
        while (i < a.Count && j < b.Count)
        {
            var start = Math.Max(a[i].Offset, b[j].Offset);
            var end = Math.Min(a[i].End, b[j].End);
            if (start < end)
            {
                result.Add(BlockRange.FromBounds(start, end));
            }

            if (a[i].End < b[j].End)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return result;
    }

    /// <summary>The total number of bytes in a list.</summary>
    /// <param name="ranges">The ranges.</param>
    /// <returns>The sum of their lengths.</returns>
    public static long TotalLength(IReadOnlyList<BlockRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        long total = 0;
        for (var i = 0; i < ranges.Count; i++)
        {
            total += ranges[i].Length;
        }

        return total;
    }

    /// <summary>Clips a list to <c>[0, length)</c>.</summary>
    /// <param name="ranges">An ascending, non-overlapping list.</param>
    /// <param name="length">The end.</param>
    /// <returns>The clipped list.</returns>
    public static List<BlockRange> Clip(IReadOnlyList<BlockRange> ranges, long length)
        => Intersect(ranges, [new BlockRange(0, length)]);
}
