using FsCheck.Xunit;
using Sms.Blocks;

namespace Sms.Replication.Tests.Blocks;

public sealed class BlockRangesCoalesceTests
{
    [Property(MaxTest = 200, Arbitrary = [typeof(SmallRanges)])]
    public void Coalesce_AnyRanges_IsSortedNonOverlappingAndNonTouching(BlockRange[] ranges)
    {
        // Given / When
        var coalesced = BlockRanges.Coalesce(ranges);

        // Then
        SmallRanges.AssertCanonical(coalesced);
    }

    [Property(MaxTest = 200, Arbitrary = [typeof(SmallRanges)])]
    public void Coalesce_AnyRanges_CoversExactlyTheSameBytes(BlockRange[] ranges)
    {
        // Given
        var expected = SmallRanges.Bytes(ranges);

        // When
        var coalesced = BlockRanges.Coalesce(ranges);

        // Then
        Assert.Equal(expected, SmallRanges.Bytes(coalesced));
    }

    [Property(MaxTest = 200, Arbitrary = [typeof(SmallRanges)])]
    public void Coalesce_AlreadyCoalesced_ReturnsSameList(BlockRange[] ranges)
    {
        // Given
        var once = BlockRanges.Coalesce(ranges);

        // When
        var twice = BlockRanges.Coalesce(once);

        // Then
        Assert.Equal(once, twice);
    }

    [Fact]
    public void Coalesce_TouchingAndEmptyRanges_MergesTouchingAndDropsEmpty()
    {
        // Given
        BlockRange[] ranges = [new(10, 5), new(0, 10), new(30, 0), new(20, 5), new(24, 2)];

        // When
        var coalesced = BlockRanges.Coalesce(ranges);

        // Then
        Assert.Equal([new BlockRange(0, 15), new BlockRange(20, 6)], coalesced);
    }

    [Fact]
    public void Coalesce_Empty_ReturnsEmpty()
    {
        // Given / When
        var coalesced = BlockRanges.Coalesce([]);

        // Then
        Assert.Empty(coalesced);
    }
}
