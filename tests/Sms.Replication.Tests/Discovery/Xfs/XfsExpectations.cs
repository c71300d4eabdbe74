using Sms.Blocks;
using Sms.Discovery;
using Sms.Discovery.FileSystems.Xfs;
using Xunit.Abstractions;

namespace Sms.Replication.Tests.Discovery.Xfs;

/// <summary>What xfs_db says about an image, and the checks of a map against it.</summary>
internal sealed record XfsDbFacts(
    long DataBlocks,
    long BlockSize,
    long AgCount,
    long AgBlocks,
    long FreespTotalBlocks,
    long AgfFreeBlocks,
    long AgfFreeListCount,
    int MaxBnoLevel,
    IReadOnlySet<(uint Ag, uint Block)> AgflBlocks,
    IReadOnlyList<(uint Ag, uint Start, uint Length)> FreespDetails)
{
    public static XfsDbFacts Read(string image)
    {
        var sb = XfsTools.Fields(image, "sb 0");
        var agCount = XfsTools.Field(sb, "agcount");
        long freeBlocks = 0, freeListCount = 0;
        var maxLevel = 0;
        var agfl = new HashSet<(uint, uint)>();
        for (uint ag = 0; ag < agCount; ag++)
        {
            var agf = XfsTools.Fields(image, $"agf {ag}");
            freeBlocks += XfsTools.Field(agf, "freeblks");
            freeListCount += XfsTools.Field(agf, "flcount");
            maxLevel = Math.Max(maxLevel, (int)XfsTools.Field(agf, "bnolevel"));
            foreach (var block in XfsTools.AgflBlocks(image, ag))
            {
                agfl.Add((ag, block));
            }
        }

        return new XfsDbFacts(
            XfsTools.Field(sb, "dblocks"),
            XfsTools.Field(sb, "blocksize"),
            agCount,
            XfsTools.Field(sb, "agblocks"),
            XfsTools.FreespTotalBlocks(image),
            freeBlocks,
            freeListCount,
            maxLevel,
            agfl,
            XfsTools.FreespDetails(image));
    }

    /// <summary>The freesp -d extents without the AGFL's single blocks: what the bno b+trees hold.</summary>
    public List<(uint Ag, uint Start, uint Length)> BtreeFreeExtents()
    {
        var result = new List<(uint, uint, uint)>();
        foreach (var extent in FreespDetails)
        {
            if (!(extent.Length == 1 && AgflBlocks.Contains((extent.Ag, extent.Start))))
            {
                result.Add(extent);
            }
        }

        return result;
    }

    /// <summary>The expected allocated byte ranges: [0, dblocks × blocksize) minus the bno free extents.</summary>
    public List<BlockRange> ExpectedAllocatedRanges()
    {
        var free = new List<BlockRange>();
        foreach (var (ag, start, length) in BtreeFreeExtents())
        {
            free.Add(new BlockRange(((ag * AgBlocks) + start) * BlockSize, length * BlockSize));
        }

        free = BlockRanges.Coalesce(free);
        var allocated = new List<BlockRange>();
        long cursor = 0;
        foreach (var range in free)
        {
            if (range.Offset > cursor)
            {
                allocated.Add(BlockRange.FromBounds(cursor, range.Offset));
            }

            cursor = range.End;
        }

        if (cursor < DataBlocks * BlockSize)
        {
            allocated.Add(BlockRange.FromBounds(cursor, DataBlocks * BlockSize));
        }

        return allocated;
    }

    /// <summary>
    /// The map against xfs_db: freesp counts AGFL blocks as free, the map keeps them allocated, so
    /// allocated = dblocks − freesp total + Σ agf_flcount, and the free extents are freesp -d minus the AGFL.
    /// </summary>
    public void AssertMatches(FileSystemDescription description, XfsAllocationMap map, ITestOutputHelper output, string name)
    {
        Assert.True(map.AllocatedRanges is not null, $"map is null: {map.Note}");
        var allocatedBytes = BlockRanges.TotalLength(map.AllocatedRanges);
        Assert.Equal(0, allocatedBytes % BlockSize);
        var allocatedBlocks = allocatedBytes / BlockSize;
        var btreeFree = BtreeFreeExtents();

        output.WriteLine(
            $"{name}: dblocks {DataBlocks} × {BlockSize} B, {AgCount} AGs, bno levels ≤ {MaxBnoLevel}; xfs_db freesp total {FreespTotalBlocks} " +
            $"({FreespDetails.Count} extents) = Σ agf_freeblks {AgfFreeBlocks} + Σ agf_flcount {AgfFreeListCount}; " +
            $"map: {allocatedBlocks} allocated blocks = {DataBlocks} − {FreespTotalBlocks} + {AgfFreeListCount}, " +
            $"{map.FreeExtents.Count} free extents = {FreespDetails.Count} − {AgflBlocks.Count} AGFL, {map.AllocatedRanges.Count} ranges");

        Assert.Equal(AgfFreeListCount, AgflBlocks.Count);
        Assert.Equal(AgfFreeBlocks + AgfFreeListCount, FreespTotalBlocks);
        Assert.Equal(DataBlocks - FreespTotalBlocks + AgfFreeListCount, allocatedBlocks);
        Assert.Equal(AgfFreeBlocks, map.FreeBlocks);
        Assert.Equal(AgfFreeListCount, map.FreeListBlocks);
        Assert.Equal(allocatedBytes, description.UsedBytes);
        Assert.Equal(FreespDetails.Count - AgflBlocks.Count, btreeFree.Count);

        var actualFree = new List<(uint, uint, uint)>();
        foreach (var extent in map.FreeExtents)
        {
            actualFree.Add((extent.AgNumber, extent.Extent.Start, extent.Extent.Length));
        }

        Assert.Equal(btreeFree, actualFree);
        Assert.Equal(ExpectedAllocatedRanges(), map.AllocatedRanges);
    }
}
