using System.Numerics;
using Sms.Blocks;

namespace Sms.Discovery.FileSystems.Ext;

/// <summary>
/// Finds runs of set bits in an allocation bitmap (bit <c>i</c> is bit <c>i % 8</c>, least significant first, of
/// byte <c>i / 8</c>, as ext2/3/4 store them) without looking at bits one by one: whole 0x00 and 0xFF bytes are
/// skipped with vectorised span searches, partial bytes with trailing-zero counts.
/// </summary>
internal static class BitmapRuns
{
    /// <summary>The first set bit at or after <paramref name="from"/>.</summary>
    /// <param name="bitmap">The bitmap.</param>
    /// <param name="from">Where to start.</param>
    /// <param name="limit">How many bits count; bits from here on are ignored.</param>
    /// <returns>The bit, or <paramref name="limit"/> when none is set.</returns>
    public static int NextSet(ReadOnlySpan<byte> bitmap, int from, int limit) => Next(bitmap, from, limit, 0x00);

    /// <summary>The first clear bit at or after <paramref name="from"/>.</summary>
    /// <param name="bitmap">The bitmap.</param>
    /// <param name="from">Where to start.</param>
    /// <param name="limit">How many bits count; bits from here on are ignored.</param>
    /// <returns>The bit, or <paramref name="limit"/> when all are set.</returns>
    public static int NextClear(ReadOnlySpan<byte> bitmap, int from, int limit) => Next(bitmap, from, limit, 0xFF);

    /// <summary>
    /// Appends the byte ranges the set bits stand for: bit <c>i</c> covers <c>[origin + i * unit, origin + (i + 1) * unit)</c>,
    /// clipped to <paramref name="end"/>. Ranges that touch the last one in <paramref name="ranges"/> are merged into it.
    /// </summary>
    /// <param name="bitmap">The bitmap.</param>
    /// <param name="bitCount">How many bits count (at most the bitmap's).</param>
    /// <param name="origin">The byte that bit 0 starts at.</param>
    /// <param name="unit">The bytes per bit.</param>
    /// <param name="end">No range goes past this byte.</param>
    /// <param name="ranges">An ascending, coalesced list that ends at or before <paramref name="origin"/>.</param>
    /// <returns>The number of set bits.</returns>
    public static long AppendRanges(ReadOnlySpan<byte> bitmap, int bitCount, long origin, long unit, long end, List<BlockRange> ranges)
    {
        long set = 0;
        bitCount = Math.Min(bitCount, bitmap.Length * 8);
        var at = NextSet(bitmap, 0, bitCount);
        while (at < bitCount)
        {
            var stop = NextClear(bitmap, at, bitCount);
            set += stop - at;
            Append(ranges, origin + (at * unit), Math.Min(end, origin + (stop * unit)));
            at = NextSet(bitmap, stop, bitCount);
        }

        return set;
    }

    /// <summary>Appends <c>[start, stop)</c> to an ascending, coalesced list, merging it with the last range when they touch.</summary>
    /// <param name="ranges">The list; its last range must not start after <paramref name="start"/>.</param>
    /// <param name="start">The first byte.</param>
    /// <param name="stop">The byte after the last; nothing is added when it is not above <paramref name="start"/>.</param>
    public static void Append(List<BlockRange> ranges, long start, long stop)
    {
        if (stop <= start)
        {
            return;
        }

        if (ranges.Count > 0 && ranges[^1].End >= start)
        {
            var last = ranges[^1];
            ranges[^1] = BlockRange.FromBounds(last.Offset, Math.Max(last.End, stop));
            return;
        }

        ranges.Add(BlockRange.FromBounds(start, stop));
    }

    /// <summary>The first bit at or after <paramref name="from"/> whose byte differs from <paramref name="skip"/> there.</summary>
    private static int Next(ReadOnlySpan<byte> bitmap, int from, int limit, byte skip)
    {
        limit = Math.Min(limit, bitmap.Length * 8);
        if (from >= limit)
        {
            return limit;
        }

        var index = from >> 3;

        // The partial first byte: flip it so that the wanted bits are ones, then drop the bits before 'from'.
        var first = (uint)(bitmap[index] ^ skip) & (0xFFu << (from & 7));
        if (first != 0)
        {
            return Math.Min(limit, (index << 3) + BitOperations.TrailingZeroCount(first));
        }

        var lastByte = (limit - 1) >> 3;
        if (index >= lastByte)
        {
            return limit;
        }

        var found = bitmap[(index + 1)..(lastByte + 1)].IndexOfAnyExcept(skip);
        if (found < 0)
        {
            return limit;
        }

        index += 1 + found;
        var bits = (uint)(bitmap[index] ^ skip);
        return Math.Min(limit, (index << 3) + BitOperations.TrailingZeroCount(bits));
    }
}
