using FsCheck.Xunit;
using Sms.Blocks;
using Sms.Discovery.FileSystems.Ext;

namespace Sms.Replication.Tests.Discovery.Ext;

public sealed class BitmapRunsPropertyTests
{
    [Property(MaxTest = 1000, Arbitrary = [typeof(BitmapArbitraries)])]
    public void AppendRanges_RandomBitmap_EqualsBruteForceSetBits(BitmapCase item)
    {
        // Given
        var expected = new List<BlockRange>();
        long setBits = 0;
        var limit = Math.Min(item.BitCount, item.Bitmap.Length * 8);
        for (var bit = 0; bit < limit; bit++)
        {
            if ((item.Bitmap[bit / 8] & (1 << (bit % 8))) == 0)
            {
                continue;
            }

            setBits++;
            var start = item.Origin + (bit * item.Unit);
            var end = Math.Min(item.End, start + item.Unit);
            if (end <= start)
            {
                continue;
            }

            if (expected.Count > 0 && expected[^1].End == start)
            {
                expected[^1] = BlockRange.FromBounds(expected[^1].Offset, end);
            }
            else
            {
                expected.Add(BlockRange.FromBounds(start, end));
            }
        }

        var actual = new List<BlockRange>();

        // When
        var count = BitmapRuns.AppendRanges(item.Bitmap, item.BitCount, item.Origin, item.Unit, item.End, actual);

        // Then
        Assert.Equal(setBits, count);
        Assert.Equal(expected, actual);
    }

    [Property(MaxTest = 500, Arbitrary = [typeof(BitmapArbitraries)])]
    public void NextSetAndNextClear_EveryStartingBit_FindTheFirstMatchingBit(BitmapCase item)
    {
        // Given
        var limit = Math.Min(item.BitCount, item.Bitmap.Length * 8);
        bool IsSet(int bit) => (item.Bitmap[bit / 8] & (1 << (bit % 8))) != 0;

        for (var from = 0; from <= limit + 2; from++)
        {
            var set = from;
            while (set < limit && !IsSet(set))
            {
                set++;
            }

            var clear = from;
            while (clear < limit && IsSet(clear))
            {
                clear++;
            }

            // When / Then
            Assert.Equal(Math.Min(set, limit), BitmapRuns.NextSet(item.Bitmap, from, item.BitCount));
            Assert.Equal(Math.Min(clear, limit), BitmapRuns.NextClear(item.Bitmap, from, item.BitCount));
        }
    }

    [Fact]
    public void AppendRanges_FirstRunTouchesLastRange_MergesIntoIt()
    {
        // Given
        var ranges = new List<BlockRange> { new(0, 4096) };

        // When
        BitmapRuns.AppendRanges([0b0000_0111], 8, 4096, 4096, long.MaxValue, ranges);

        // Then
        Assert.Equal([new BlockRange(0, 4 * 4096)], ranges);
    }

    [Fact]
    public void AppendRanges_AllOnesPastBitCount_StopsAtBitCountAndClip()
    {
        // Given
        var ranges = new List<BlockRange>();
        byte[] bitmap = [0xFF, 0xFF, 0xFF];

        // When
        var count = BitmapRuns.AppendRanges(bitmap, 13, 0, 1024, 12 * 1024 + 100, ranges);

        // Then
        Assert.Equal(13, count);
        Assert.Equal([new BlockRange(0, 12 * 1024 + 100)], ranges);
    }
}
