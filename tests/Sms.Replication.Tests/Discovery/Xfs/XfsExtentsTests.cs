using FsCheck;
using FsCheck.Xunit;
using Sms.Discovery.FileSystems.Xfs;

namespace Sms.Replication.Tests.Discovery.Xfs;

/// <summary>The free-extent complement against a brute-force model: one flag per block.</summary>
public sealed class XfsExtentsTests
{
    [Property(MaxTest = 500)]
    public void TryComplement_ValidFreeList_EqualsBruteForceComplement(bool[] freeBlocks, int[] splitSeeds)
    {
        // Given: the free runs of a random AG, some cut into adjacent extents (as the b+tree may hold them)
        var free = Runs(freeBlocks, value: true, splitSeeds);
        var allocated = new List<XfsExtent>();

        // When
        var valid = XfsExtents.TryComplement(free.ToArray(), (uint)freeBlocks.Length, allocated);

        // Then
        Assert.True(valid);
        Assert.Equal(Runs(freeBlocks, value: false, []), allocated);
    }

    [Property(MaxTest = 500)]
    public void TryComplement_ArbitraryExtents_AcceptsExactlyTheValidListsAndComplementsThem(byte[] starts, byte[] lengths, byte agLength)
    {
        // Given
        var count = Math.Min(starts.Length, lengths.Length);
        var free = new XfsExtent[count];
        for (var i = 0; i < count; i++)
        {
            free[i] = new XfsExtent(starts[i], lengths[i] % 24u);
        }

        var model = new bool[agLength];
        var expectedValid = true;
        long previousEnd = 0;
        foreach (var extent in free)
        {
            expectedValid &= extent.Length > 0 && extent.Start >= previousEnd && extent.End <= agLength;
            previousEnd = extent.End;
            for (var block = extent.Start; block < Math.Min(extent.End, agLength); block++)
            {
                model[block] = true;
            }
        }

        var allocated = new List<XfsExtent>();

        // When
        var valid = XfsExtents.TryComplement(free, agLength, allocated);

        // Then
        Assert.Equal(expectedValid, valid);
        Assert.Equal(expectedValid ? Runs(model, value: false, []) : [], allocated);
    }

    [Property(MaxTest = 300)]
    public void Contains_AnyBlock_MatchesBruteForce(bool[] freeBlocks, int[] splitSeeds, NonNegativeInt block)
    {
        // Given
        var free = Runs(freeBlocks, value: true, splitSeeds).ToArray();
        var probe = (uint)(block.Get % (freeBlocks.Length + 3));

        // When
        var contained = XfsExtents.Contains(free, probe);

        // Then
        Assert.Equal(probe < freeBlocks.Length && freeBlocks[probe], contained);
    }

    [Fact]
    public void TryComplement_NoFreeExtents_ReturnsTheWholeAg()
    {
        // Given
        var allocated = new List<XfsExtent>();

        // When
        var valid = XfsExtents.TryComplement([], uint.MaxValue, allocated);

        // Then
        Assert.True(valid);
        Assert.Equal([new XfsExtent(0, uint.MaxValue)], allocated);
    }

    [Fact]
    public void TryComplement_ExtentPastTheEndOfA4GiBlockAg_IsRejectedWithoutOverflow()
    {
        // Given: start + length wraps a 32-bit counter
        var allocated = new List<XfsExtent>();

        // When
        var valid = XfsExtents.TryComplement([new XfsExtent(uint.MaxValue - 2, 10)], uint.MaxValue, allocated);

        // Then
        Assert.False(valid);
        Assert.Empty(allocated);
    }

    [Fact]
    public void TryComplement_FreeUpToTheLastBlock_LeavesOnlyTheHead()
    {
        // Given
        var allocated = new List<XfsExtent>();

        // When
        var valid = XfsExtents.TryComplement([new XfsExtent(4, 96)], 100, allocated);

        // Then
        Assert.True(valid);
        Assert.Equal([new XfsExtent(0, 4)], allocated);
    }

    /// <summary>The maximal runs of <paramref name="value"/>, cut at points drawn from <paramref name="splitSeeds"/>.</summary>
    private static List<XfsExtent> Runs(bool[] blocks, bool value, int[] splitSeeds)
    {
        var cuts = new HashSet<int>();
        foreach (var seed in splitSeeds)
        {
            if (blocks.Length > 0)
            {
                cuts.Add((int)((uint)seed % (uint)blocks.Length));
            }
        }

        var result = new List<XfsExtent>();
        var start = -1;
        for (var i = 0; i <= blocks.Length; i++)
        {
            var inRun = i < blocks.Length && blocks[i] == value;
            if (start >= 0 && (!inRun || cuts.Contains(i)))
            {
                result.Add(new XfsExtent((uint)start, (uint)(i - start)));
                start = -1;
            }

            if (inRun && start < 0)
            {
                start = i;
            }
        }

        return result;
    }
}
