using FsCheck;
using FsCheck.Xunit;
using Sms.Blocks;

namespace Sms.Replication.Tests.Blocks;

public sealed class BlockRangesClipTests
{
    [Property(MaxTest = 200, Arbitrary = [typeof(SmallRanges)])]
    public void Clip_CoalescedList_KeepsExactlyTheBytesBelowLength(BlockRange[] ranges, NonNegativeInt lengthSeed)
    {
        // Given
        var coalesced = BlockRanges.Coalesce(ranges);
        var length = lengthSeed.Get % SmallRanges.Space;
        var expected = SmallRanges.Bytes(coalesced).Select((covered, at) => covered && at < length).ToArray();

        // When
        var clipped = BlockRanges.Clip(coalesced, length);

        // Then
        Assert.Equal(expected, SmallRanges.Bytes(clipped));
        SmallRanges.AssertCanonical(clipped);
    }

    [Property(MaxTest = 100, Arbitrary = [typeof(SmallRanges)])]
    public void Clip_LengthBeyondLastRange_ReturnsSameList(BlockRange[] ranges)
    {
        // Given
        var coalesced = BlockRanges.Coalesce(ranges);

        // When
        var clipped = BlockRanges.Clip(coalesced, SmallRanges.Space);

        // Then
        Assert.Equal(coalesced, clipped);
    }

    [Fact]
    public void Clip_ZeroLength_ReturnsEmpty()
    {
        // Given
        BlockRange[] ranges = [new(0, 10), new(20, 10)];

        // When
        var clipped = BlockRanges.Clip(ranges, 0);

        // Then
        Assert.Empty(clipped);
    }

    [Fact]
    public void Clip_RangeStraddlingLength_CutsItAtLength()
    {
        // Given
        BlockRange[] ranges = [new(0, 10), new(20, 10), new(40, 5)];

        // When
        var clipped = BlockRanges.Clip(ranges, 25);

        // Then
        Assert.Equal([new BlockRange(0, 10), new BlockRange(20, 5)], clipped);
    }
}
