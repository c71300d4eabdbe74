using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sms.Blocks;
using Sms.Discovery;
using Sms.Discovery.FileSystems.Ntfs;
using Sms.Replication.Tests.Discovery.Fat;

namespace Sms.Replication.Tests.Discovery.Ntfs;

public sealed class NtfsSyntheticVolumeTests
{
    private static readonly NtfsFileSystemReader Reader = new();

    /// <summary>A cluster count, a bitmap for it, the cluster where the bitmap splits into two runs, and its initialized bytes.</summary>
    public sealed record BitmapCase(long Clusters, byte[] Bitmap, int SplitCluster, int Initialized);

    public static Arbitrary<BitmapCase> Cases() => Arb.From(
        from clusters in Gen.Choose(64, 40000)
        let bytes = (clusters + 7) / 8
        from bitmap in Gen.ArrayOf(Gen.Frequency((3, Gen.Constant((byte)0)), (3, Gen.Constant((byte)0xFF)), (4, Gen.Choose(0, 255).Select(i => (byte)i))), bytes)
        let bitmapClusters = (bytes + SyntheticNtfs.Cluster - 1) / SyntheticNtfs.Cluster
        from split in Gen.Choose(0, bitmapClusters - 1)
        from initialized in Gen.Frequency((3, Gen.Constant(bytes)), (1, Gen.Choose(0, bytes)))
        select new BitmapCase(clusters, bitmap, split, initialized));

    private static List<NtfsDataRun> Runs(BitmapCase c)
    {
        var bitmapClusters = (c.Bitmap.Length + SyntheticNtfs.Cluster - 1) / SyntheticNtfs.Cluster;
        var runs = new List<NtfsDataRun>();
        if (c.SplitCluster > 0)
        {
            runs.Add(new NtfsDataRun(20, c.SplitCluster)); // the first part at cluster 20 ...
        }

        runs.Add(new NtfsDataRun(20 + c.SplitCluster + 7, bitmapClusters - c.SplitCluster)); // ... the rest 7 clusters further
        return runs;
    }

    private static List<BlockRange> BruteForce(BitmapCase c)
    {
        var ranges = new List<BlockRange> { new(0, 512), new(c.Clusters * SyntheticNtfs.Cluster, 512) };
        for (long cluster = 0; cluster < c.Clusters; cluster++)
        {
            var index = (int)(cluster / 8);
            if (index < c.Initialized && ((c.Bitmap[index] >> (int)(cluster % 8)) & 1) != 0)
            {
                ranges.Add(new BlockRange(cluster * SyntheticNtfs.Cluster, SyntheticNtfs.Cluster));
            }
        }

        return BlockRanges.Coalesce(ranges);
    }

    [Property(MaxTest = 100, Arbitrary = [typeof(NtfsSyntheticVolumeTests)])]
    public void GetAllocatedRangesAsync_AnyBitmapInTwoRuns_EqualsEverySetBitPlusBootSectors(BitmapCase c)
    {
        // Given
        var disk = new MemoryDisk(SyntheticNtfs.Build(c.Clusters, c.Bitmap, Runs(c), c.Initialized));
        var length = disk.Length;

        // When
        var description = Reader.ProbeAsync(disk, 0, length).AsTask().GetAwaiter().GetResult();
        var ranges = Reader.GetAllocatedRangesAsync(disk, 0, length, description!).AsTask().GetAwaiter().GetResult();

        // Then
        var expected = BruteForce(c);
        Assert.NotNull(ranges);
        Assert.Equal(expected, ranges);
        Assert.Equal(BlockRanges.TotalLength(expected), description!.UsedBytes);
        Assert.Null(description.Note);
    }

    [Fact]
    public async Task ProbeAsync_SyntheticVolume_LabelSerialAndGeometry()
    {
        // Given
        var bitmap = new byte[16];
        var disk = new MemoryDisk(SyntheticNtfs.Build(128, bitmap, [new NtfsDataRun(20, 1)], bitmap.Length, label: "Données"));

        // When
        var description = await Reader.ProbeAsync(disk, 0, disk.Length);

        // Then
        Assert.NotNull(description);
        Assert.Equal(FileSystemKind.Ntfs, description.Kind);
        Assert.Equal("Données", description.Label);
        Assert.Equal("59C54B11595ABE38", description.Uuid);
        Assert.Equal(512, description.BlockSize);
        Assert.Equal(128 * 512, description.TotalBytes);
        Assert.Equal(1024, description.UsedBytes); // the boot sector and its backup
    }

    [Fact]
    public async Task GetAllocatedRangesAsync_BitmapSplitByAttributeList_NullWithNote()
    {
        // Given: the base record maps one cluster of a bitmap that needs two.
        var bitmap = new byte[(8000 + 7) / 8];
        var disk = new MemoryDisk(SyntheticNtfs.Build(8000, bitmap, [new NtfsDataRun(20, 1)], bitmap.Length, attributeList: true));

        // When
        var description = await Reader.ProbeAsync(disk, 0, disk.Length);
        var ranges = await Reader.GetAllocatedRangesAsync(disk, 0, disk.Length, description!);

        // Then
        Assert.Null(ranges);
        Assert.Null(description!.UsedBytes);
        Assert.Contains("attribute list", description.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAllocatedRangesAsync_TornBitmapRecord_NullWithNote()
    {
        // Given: the second stride of record 6 lost its update sequence number.
        var bitmap = new byte[16];
        var bytes = SyntheticNtfs.Build(128, bitmap, [new NtfsDataRun(20, 1)], bitmap.Length);
        bytes[(SyntheticNtfs.MftLcn * 512) + (6 * 1024) + 1022] ^= 0xFF;
        var disk = new MemoryDisk(bytes);

        // When
        var description = await Reader.ProbeAsync(disk, 0, disk.Length);
        var ranges = await Reader.GetAllocatedRangesAsync(disk, 0, disk.Length, description!);

        // Then
        Assert.Null(ranges);
        Assert.Contains("$Bitmap", description!.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_VolumeLongerThanPartition_DescribedWithNoteAndNoMap()
    {
        // Given
        var bitmap = new byte[16];
        var disk = new MemoryDisk(SyntheticNtfs.Build(128, bitmap, [new NtfsDataRun(20, 1)], bitmap.Length));
        var length = 100 * 512;

        // When
        var description = await Reader.ProbeAsync(disk, 0, length);
        var ranges = await Reader.GetAllocatedRangesAsync(disk, 0, length, description!);

        // Then
        Assert.Equal(NtfsFileSystemReader.LargerThanPartitionNote, description!.Note);
        Assert.Null(ranges);
    }
}
