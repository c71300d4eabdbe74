using Sms.Blocks;
using Sms.Discovery;
using Sms.Discovery.FileSystems.Fat;
using Xunit.Abstractions;

namespace Sms.Replication.Tests.Discovery.Fat;

public sealed class FatImageTests(ITestOutputHelper output) : IDisposable
{
    private readonly ScratchDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    public static TheoryData<int, int, int> Layouts => new()
    {
        { 12, 4, 0 },
        { 16, 32, 0 },
        { 32, 64, 0 },
        { 32, 40, 8 }, // FAT32 by its BPB with only ~10k clusters, as mkfs.fat makes it on request
    };

    /// <summary>FAT32 with fewer than 65525 clusters: Linux, dosfstools and blkid read it as FAT32, mtools (by the count) as FAT16.</summary>
    private static bool IsSmallFat32(int bits, int sectorsPerCluster) => bits == 32 && sectorsPerCluster == 8;

    private FatImage.Made Create(int bits, int sizeMiB, int sectorsPerCluster)
    {
        var small = IsSmallFat32(bits, sectorsPerCluster);
        var made = FatImage.Create(_directory, bits, sizeMiB, sectorsPerCluster, $"LBL{bits}", populate: !small);
        if (small)
        {
            output.WriteLine("FAT32 with fewer than 65525 clusters: mtools reads it as FAT16 by the count, so the image stays empty.");
        }
        else if (!made.Populated)
        {
            output.WriteLine("mtools is not installed (apt-get install mtools) and vfat is not mountable here: the FAT image stays empty.");
        }

        return made;
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task ProbeAsync_MkfsVfatImage_LabelSerialAndGeometryAsBlkidAndFsck(int bits, int sizeMiB, int sectorsPerCluster)
    {
        // Given
        var made = Create(bits, sizeMiB, sectorsPerCluster);
        var fsck = FatImage.Fsck(made.Path);
        var blkidLabel = DiskTool.RunChecked("blkid", "util-linux", "-p", "-o", "value", "-s", "LABEL", made.Path).Trim();
        var blkidUuid = DiskTool.RunChecked("blkid", "util-linux", "-p", "-o", "value", "-s", "UUID", made.Path).Trim();

        // When
        var (description, _) = await AllocatedImage.ReadAsync(new FatFileSystemReader(), made.Path);

        // Then
        Assert.Equal(FileSystemKind.Vfat, description.Kind);
        Assert.Equal($"LBL{bits}", description.Label);
        Assert.Equal(blkidLabel, description.Label);
        Assert.Equal("1234-ABCD", description.Uuid);
        Assert.Equal(blkidUuid, description.Uuid);
        Assert.Equal(fsck.ClusterBytes, description.BlockSize);
        Assert.Equal((long)sizeMiB << 20, description.TotalBytes);
        Assert.True(FatBootSector.TryParse(File.ReadAllBytes(made.Path).AsSpan(0, 512), out var bootSector));
        Assert.Equal(fsck.EntryBits, (int)bootSector.Type);
        Assert.Equal(fsck.Clusters, bootSector.ClusterCount);
        Assert.Equal(fsck.DataStart, bootSector.FixedAreaBytes);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task GetAllocatedRangesAsync_MkfsVfatImage_ClustersEqualFsckFatCount(int bits, int sizeMiB, int sectorsPerCluster)
    {
        // Given
        var made = Create(bits, sizeMiB, sectorsPerCluster);
        var fsck = FatImage.Fsck(made.Path);

        // When
        var (description, ranges) = await AllocatedImage.ReadAsync(new FatFileSystemReader(), made.Path);

        // Then: the fixed area (reserved, FATs, fixed root) whole, then exactly the clusters fsck.fat counts used.
        var total = BlockRanges.TotalLength(ranges);
        var fixedBytes = BlockRanges.TotalLength(BlockRanges.Clip(ranges, fsck.DataStart));
        var ourClusters = (total - fixedBytes) / fsck.ClusterBytes;
        output.WriteLine($"FAT{bits}: fsck.fat '{fsck.Summary}', data area at {fsck.DataStart}; ours: {ourClusters} clusters + {fixedBytes} fixed bytes, {ranges.Count} ranges");
        Assert.Equal(fsck.DataStart, fixedBytes);
        Assert.Equal(0, (total - fixedBytes) % fsck.ClusterBytes);
        Assert.Equal(fsck.UsedClusters, ourClusters);
        Assert.Equal(total, description.UsedBytes);
        if (made.Populated)
        {
            Assert.True(ourClusters > 50, "the files should take clusters");
        }
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task GetAllocatedRangesAsync_CopyOfOnlyAllocatedRanges_PassesFsckFatAndHoldsSameFiles(int bits, int sizeMiB, int sectorsPerCluster)
    {
        // Given
        var made = Create(bits, sizeMiB, sectorsPerCluster);
        var (_, ranges) = await AllocatedImage.ReadAsync(new FatFileSystemReader(), made.Path);
        var copy = _directory.File($"copy{bits}.img");

        // When
        AllocatedImage.CopyRanges(made.Path, copy, ranges);

        // Then
        var original = FatImage.Fsck(made.Path);
        var copied = FatImage.Fsck(copy);
        Assert.Equal(original.Files, copied.Files);
        Assert.Equal(original.UsedClusters, copied.UsedClusters);
        foreach (var (path, content) in made.Files)
        {
            Assert.Equal(content, FatImage.ReadFile(_directory, copy, path));
        }
    }
}
