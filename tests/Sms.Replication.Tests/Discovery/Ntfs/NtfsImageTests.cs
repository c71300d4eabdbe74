using Sms.Blocks;
using Sms.Discovery;
using Sms.Discovery.FileSystems.Ntfs;
using Sms.Replication.Tests.Discovery.Fat;
using Xunit.Abstractions;

namespace Sms.Replication.Tests.Discovery.Ntfs;

public sealed class NtfsImageTests(ITestOutputHelper output) : IDisposable
{
    private const int SizeMiB = 64;
    private readonly ScratchDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(512)] // a record spans two clusters: clusters-per-record +2
    [InlineData(4096)]
    [InlineData(65536)] // sectors per cluster 0x80
    [InlineData(131072)] // sectors per cluster 0xF8: the negative-exponent encoding
    public async Task ProbeAsync_MkfsNtfsImage_LabelSerialAndGeometryAsTheTools(int clusterBytes)
    {
        // Given
        var made = NtfsImage.Create(_directory, SizeMiB, clusterBytes, "ntfslbl");
        var info = NtfsImage.NtfsInfo(made.Path);
        var blkidUuid = DiskTool.RunChecked("blkid", "util-linux", "-p", "-o", "value", "-s", "UUID", made.Path).Trim();

        // When
        var (description, _) = await AllocatedImage.ReadAsync(new NtfsFileSystemReader(), made.Path);

        // Then
        Assert.Equal(FileSystemKind.Ntfs, description.Kind);
        Assert.Equal("ntfslbl", description.Label);
        Assert.Equal(blkidUuid, description.Uuid);
        Assert.Equal(16, description.Uuid!.Length);
        Assert.Equal(info.ClusterBytes, description.BlockSize);
        Assert.Equal(((long)SizeMiB << 20) - 512, description.TotalBytes);
        Assert.Null(description.Note);
    }

    [Theory]
    [InlineData(512)]
    [InlineData(4096)]
    [InlineData(65536)]
    [InlineData(131072)]
    public async Task GetAllocatedRangesAsync_MkfsNtfsImage_UsedClustersEqualNtfsinfoAndNtfscluster(int clusterBytes)
    {
        // Given
        var made = NtfsImage.Create(_directory, SizeMiB, clusterBytes, "ntfslbl");
        var info = NtfsImage.NtfsInfo(made.Path);
        var clusterFree = NtfsImage.NtfsClusterFree(made.Path);

        // When
        var (description, ranges) = await AllocatedImage.ReadAsync(new NtfsFileSystemReader(), made.Path);

        // Then: inside the clusters, exactly the used ones; outside them, only the backup boot sector.
        var clusterArea = info.Clusters * info.ClusterBytes;
        var inClusters = BlockRanges.TotalLength(BlockRanges.Clip(ranges, clusterArea));
        var ourUsed = inClusters / info.ClusterBytes;
        var toolsUsed = info.Clusters - info.FreeClusters;
        output.WriteLine($"cluster {clusterBytes}: ntfsinfo {info.Clusters} clusters, {info.FreeClusters} free ({toolsUsed} used); ntfscluster -i {clusterFree} free; ours {ourUsed} used in {ranges.Count} ranges + {BlockRanges.TotalLength(ranges) - inClusters} bytes past the last cluster");
        Assert.Equal(0, inClusters % info.ClusterBytes);
        Assert.Equal(toolsUsed, ourUsed);
        Assert.Equal(info.FreeClusters, clusterFree);
        Assert.Equal(new BlockRange(((long)SizeMiB << 20) - 512, 512), ranges[^1]);
        Assert.Equal(BlockRanges.TotalLength(ranges), description.UsedBytes);
    }

    [Theory]
    [InlineData(512)]
    [InlineData(4096)]
    [InlineData(131072)]
    public async Task GetAllocatedRangesAsync_CopyOfOnlyAllocatedRanges_PassesNtfsfixAndNtfscatMatches(int clusterBytes)
    {
        // Given
        var made = NtfsImage.Create(_directory, SizeMiB, clusterBytes, "ntfslbl");
        var (_, ranges) = await AllocatedImage.ReadAsync(new NtfsFileSystemReader(), made.Path);
        var copy = _directory.File("copy.img");

        // When
        AllocatedImage.CopyRanges(made.Path, copy, ranges);

        // Then
        var fix = DiskTool.RunChecked("ntfsfix", NtfsImage.Package, "-n", copy);
        Assert.Contains("Checking the alternate boot sector... OK", fix, StringComparison.Ordinal);
        foreach (var (path, content) in made.Files)
        {
            Assert.Equal(content, NtfsImage.Cat(copy, path));
        }

        Assert.Equal(NtfsImage.NtfsInfo(made.Path), NtfsImage.NtfsInfo(copy));
    }

    [Fact]
    public async Task GetAllocatedRangesAsync_CopyWithoutTheBackupBootSector_NtfsfixFindsItBad()
    {
        // Given: the control for the test above: drop the sector past the last cluster.
        var made = NtfsImage.Create(_directory, SizeMiB, 4096, "ntfslbl");
        var (_, ranges) = await AllocatedImage.ReadAsync(new NtfsFileSystemReader(), made.Path);
        var copy = _directory.File("copy.img");

        // When
        AllocatedImage.CopyRanges(made.Path, copy, BlockRanges.Clip(ranges, ((long)SizeMiB << 20) - 512));

        // Then
        var fix = DiskTool.Run("ntfsfix", NtfsImage.Package, "-n", copy);
        Assert.NotEqual(0, fix.ExitCode);
        Assert.Contains("Checking the alternate boot sector... BAD", fix.Output, StringComparison.Ordinal);
    }
}
