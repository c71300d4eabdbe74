using Sms.Blocks;
using Sms.Discovery.FileSystems.Ext;
using Xunit.Abstractions;

namespace Sms.Replication.Tests.Discovery.Ext;

/// <summary>The map against e2fsprogs' own accounting: dumpe2fs's free counts and per-group free block lists.</summary>
[Collection(ExtImageCollection.Name)]
public sealed class ExtAllocationMapDumpe2fsTests(ExtImageFixture images, ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(ExtCase.Names), MemberType = typeof(ExtCase))]
    public async Task GetAllocatedRangesAsync_MkfsImage_CountEqualsBlocksMinusDumpe2fsFreeBlocks(string name)
    {
        // Given
        var image = images.Get(name);
        await using var disk = FileBlockSource.Open(image.ImagePath);
        var reader = new ExtFileSystemReader();
        var description = await reader.ProbeAsync(disk, 0, disk.Length);
        Assert.NotNull(description);

        // When
        var ranges = await reader.GetAllocatedRangesAsync(disk, 0, disk.Length, description);

        // Then
        Assert.Null(description.Note);
        Assert.NotNull(ranges);
        var usedBlocks = BlockRanges.TotalLength(ranges) / image.Report.BlockSize;
        output.WriteLine($"{name}: {image.Report.BlockCount} blocks of {image.Report.BlockSize}, {image.Report.GroupCount} groups, "
            + $"dumpe2fs -h free {image.HeaderFreeBlocks}, used {image.Report.BlockCount - image.HeaderFreeBlocks}; map {usedBlocks} blocks in {ranges.Count} ranges");
        Assert.Equal(image.Report.BlockCount - image.HeaderFreeBlocks, usedBlocks);
        Assert.Equal(image.Report.BlockCount * image.Report.BlockSize, description.TotalBytes);
        Assert.Equal(BlockRanges.TotalLength(ranges), description.UsedBytes);
    }

    [Theory]
    [MemberData(nameof(ExtCase.Names), MemberType = typeof(ExtCase))]
    public async Task GetAllocatedRangesAsync_MkfsImage_IsExactComplementOfDumpe2fsGroupFreeRanges(string name)
    {
        // Given
        var image = images.Get(name);
        await using var disk = FileBlockSource.Open(image.ImagePath);
        var reader = new ExtFileSystemReader();
        var description = await reader.ProbeAsync(disk, 0, disk.Length);
        Assert.NotNull(description);

        // When
        var ranges = await reader.GetAllocatedRangesAsync(disk, 0, disk.Length, description);

        // Then
        Assert.NotNull(ranges);
        var blockSize = image.Report.BlockSize;
        var ours = new List<(long Start, long End)>();
        foreach (var range in ranges)
        {
            Assert.True(range.Offset % blockSize == 0 && range.Length % blockSize == 0, $"{range} is not block-aligned");
            ours.Add((range.Offset / blockSize, range.End / blockSize));
        }

        var expected = image.Report.UsedRanges;
        var freeInGroups = image.Report.FreeRanges.Sum(r => r.End - r.Start);
        output.WriteLine($"{name}: dumpe2fs groups list {freeInGroups} free blocks; complement {expected.Sum(r => r.End - r.Start)} blocks in {expected.Count} ranges; "
            + $"map {ours.Sum(r => r.End - r.Start)} blocks in {ours.Count} ranges");
        Assert.Equal(image.HeaderFreeBlocks, freeInGroups);
        AssertSameRanges(expected, ours);
    }

    private static void AssertSameRanges(IReadOnlyList<(long Start, long End)> expected, List<(long Start, long End)> actual)
    {
        for (var i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            Assert.True(expected[i] == actual[i], $"range {i}: dumpe2fs says blocks [{expected[i].Start}, {expected[i].End}) are used, the map says [{actual[i].Start}, {actual[i].End})");
        }

        Assert.Equal(expected.Count, actual.Count);
    }
}
