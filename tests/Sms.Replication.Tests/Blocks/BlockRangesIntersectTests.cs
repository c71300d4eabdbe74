using FsCheck.Xunit;
using Sms.Blocks;

namespace Sms.Replication.Tests.Blocks;

public sealed class BlockRangesIntersectTests
{
    [Property(MaxTest = 200, Arbitrary = [typeof(SmallRanges)])]
    public void Intersect_CoalescedLists_EqualsBruteForceSetIntersection(BlockRange[] first, BlockRange[] second)
    {
        // Given
        var a = BlockRanges.Coalesce(first);
        var b = BlockRanges.Coalesce(second);
        var expected = SmallRanges.Bytes(a).Zip(SmallRanges.Bytes(b), (x, y) => x && y).ToArray();

        // When
        var intersection = BlockRanges.Intersect(a, b);

        // Then
        Assert.Equal(expected, SmallRanges.Bytes(intersection));
        SmallRanges.AssertCanonical(intersection);
    }

    [Property(MaxTest = 200, Arbitrary = [typeof(SmallRanges)])]
    public void Intersect_TouchingAndEmptyRangesInInput_EqualsBruteForceSetIntersection(BlockRange[] first, BlockRange[] second)
    {
        // Given
        var a = SmallRanges.Disjoint(first);
        var b = SmallRanges.Disjoint(second);
        var expected = SmallRanges.Bytes(a).Zip(SmallRanges.Bytes(b), (x, y) => x && y).ToArray();

        // When
        var intersection = BlockRanges.Intersect(a, b);

        // Then
        Assert.Equal(expected, SmallRanges.Bytes(intersection));
        Assert.All(intersection, r => Assert.True(r.Length > 0));
        for (var i = 1; i < intersection.Count; i++)
        {
            Assert.True(intersection[i - 1].End <= intersection[i].Offset);
        }
    }

    [Property(MaxTest = 200, Arbitrary = [typeof(SmallRanges)])]
    public void Intersect_SwappedArguments_ReturnsSameList(BlockRange[] first, BlockRange[] second)
    {
        // Given
        var a = SmallRanges.Disjoint(first);
        var b = SmallRanges.Disjoint(second);

        // When
        var ab = BlockRanges.Intersect(a, b);
        var ba = BlockRanges.Intersect(b, a);

        // Then
        Assert.Equal(ab, ba);
    }

    [Property(MaxTest = 100, Arbitrary = [typeof(SmallRanges)])]
    public void Intersect_WithItself_ReturnsItself(BlockRange[] ranges)
    {
        // Given
        var a = BlockRanges.Coalesce(ranges);

        // When
        var intersection = BlockRanges.Intersect(a, a);

        // Then
        Assert.Equal(a, intersection);
    }

    [Fact]
    public void Intersect_WithEmptyList_ReturnsEmpty()
    {
        // Given
        BlockRange[] a = [new(0, 100)];

        // When
        var intersection = BlockRanges.Intersect(a, []);

        // Then
        Assert.Empty(intersection);
    }

    [Fact]
    public void Intersect_OneRangeSpanningSeveral_ReturnsEachOverlap()
    {
        // Given
        BlockRange[] a = [new(0, 100)];
        BlockRange[] b = [new(-10, 15), new(20, 5), new(90, 50)];

        // When
        var intersection = BlockRanges.Intersect(a, b);

        // Then
        Assert.Equal([new BlockRange(0, 5), new BlockRange(20, 5), new BlockRange(90, 10)], intersection);
    }
}
