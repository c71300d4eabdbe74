using Sms.Blocks;
using Sms.Discovery.FileSystems.Xfs;
using Sms.Replication.Tests.Blocks;
using Xunit.Abstractions;

namespace Sms.Replication.Tests.Discovery.Xfs;

public sealed class XfsAllocationMapTests(ITestOutputHelper output)
{
    private readonly XfsFileSystemReader _reader = new();

    [Theory]
    [MemberData(nameof(XfsCases.FreshNames), MemberType = typeof(XfsCases))]
    public async Task GetAllocatedRangesAsync_FreshImage_MatchesXfsDbFreesp(string name)
    {
        // Given
        using var temp = new TempDirectory();
        var image = temp.File("fs.img");
        if (!XfsCases.TryMake(name, temp.Path, image))
        {
            return; // this mkfs.xfs no longer makes v4 file systems
        }

        // When / Then
        await AssertMapMatchesXfsDbAsync(image, name);
    }

    [Theory]
    [MemberData(nameof(XfsCases.PopulatedNames), MemberType = typeof(XfsCases))]
    public async Task GetAllocatedRangesAsync_ProtoPopulatedImage_MatchesXfsDbFreesp(string name)
    {
        // Given
        using var temp = new TempDirectory();
        var image = temp.File("fs.img");
        if (!XfsCases.TryMake(name, temp.Path, image, XfsImages.AssortedFiles()))
        {
            return;
        }

        // When / Then
        var map = await AssertMapMatchesXfsDbAsync(image, name + " + proto files");
        var fresh = temp.File("fresh.img");
        XfsCases.TryMake(name, temp.Path, fresh);
        await using var freshDisk = FileBlockSource.Open(fresh);
        var freshRanges = await _reader.GetAllocatedRangesAsync(freshDisk, 0, freshDisk.Length, (await _reader.ProbeAsync(freshDisk, 0, freshDisk.Length))!);
        var filesBytes = 0L;
        foreach (var file in XfsImages.AssortedFiles())
        {
            filesBytes += file.Content.Length;
        }

        Assert.True(BlockRanges.TotalLength(map) >= BlockRanges.TotalLength(freshRanges!) + filesBytes, "the files' data is not in the map");
    }

    [Theory]
    [MemberData(nameof(XfsCases.FragmentedNames), MemberType = typeof(XfsCases))]
    public async Task GetAllocatedRangesAsync_FragmentedFreeSpace_WalksMultiLevelBtreeLikeXfsDb(string name)
    {
        // Given: 300 small files, every other one freed again by xfs_repair
        using var temp = new TempDirectory();
        var image = temp.File("fs.img");
        if (!XfsCases.TryMake(name, temp.Path, image, [.. XfsImages.SmallFiles(300), .. XfsImages.AssortedFiles()]))
        {
            return;
        }

        XfsImages.PunchEveryOtherSmallFile(image);

        // When / Then
        await AssertMapMatchesXfsDbAsync(image, name + " fragmented", minimumLevels: 2);
    }

    private async Task<IReadOnlyList<BlockRange>> AssertMapMatchesXfsDbAsync(string image, string name, int minimumLevels = 1)
    {
        var facts = XfsDbFacts.Read(image);
        Assert.True(facts.MaxBnoLevel >= minimumLevels, $"bno b+tree has {facts.MaxBnoLevel} levels, wanted {minimumLevels}");
        await using var disk = FileBlockSource.Open(image);

        var description = await _reader.ProbeAsync(disk, 0, disk.Length);
        Assert.NotNull(description);
        var ranges = await _reader.GetAllocatedRangesAsync(disk, 0, disk.Length, description);
        var map = await XfsFileSystemReader.ReadAllocationMapAsync(disk, 0, disk.Length, description, default);

        Assert.Null(map.Note);
        Assert.NotNull(ranges);
        Assert.Equal(map.AllocatedRanges, ranges);
        Assert.Equal(BlockRanges.Coalesce(ranges), ranges);
        facts.AssertMatches(description, map, output, name);
        return ranges;
    }
}
