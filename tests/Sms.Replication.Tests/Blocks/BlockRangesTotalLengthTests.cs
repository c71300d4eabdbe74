using FsCheck.Xunit;
using Sms.Blocks;

namespace Sms.Replication.Tests.Blocks;

public sealed class BlockRangesTotalLengthTests
{
    [Property(MaxTest = 200, Arbitrary = [typeof(SmallRanges)])]
    public void TotalLength_CoalescedList_EqualsNumberOfCoveredBytes(BlockRange[] ranges)
    {
        // Given
        var coalesced = BlockRanges.Coalesce(ranges);
        var expected = SmallRanges.Bytes(ranges).Count(b => b);

        // When
        var total = BlockRanges.TotalLength(coalesced);

        // Then
        Assert.Equal(expected, total);
    }

    [Property(MaxTest = 100, Arbitrary = [typeof(SmallRanges)])]
    public void TotalLength_AnyList_IsTheSumOfLengths(BlockRange[] ranges)
    {
        // Given
        var expected = ranges.Sum(r => r.Length);

        // When
        var total = BlockRanges.TotalLength(ranges);

        // Then
        Assert.Equal(expected, total);
    }

    [Fact]
    public void TotalLength_TerabyteRanges_DoesNotOverflow()
    {
        // Given
        BlockRange[] ranges = [new(0, 1L << 40), new(2L << 40, 3L << 40)];

        // When
        var total = BlockRanges.TotalLength(ranges);

        // Then
        Assert.Equal(4L << 40, total);
    }
}
