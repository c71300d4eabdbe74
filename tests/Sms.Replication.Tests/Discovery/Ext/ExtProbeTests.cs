using Sms.Discovery;
using Sms.Discovery.FileSystems.Ext;

namespace Sms.Replication.Tests.Discovery.Ext;

public sealed class ExtProbeTests : IDisposable
{
    private const long MiB = 1 << 20;
    private readonly ExtScratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Theory]
    [InlineData("mkfs.ext2", FileSystemKind.Ext2)]
    [InlineData("mkfs.ext3", FileSystemKind.Ext3)]
    [InlineData("mkfs.ext4", FileSystemKind.Ext4)]
    public async Task ProbeAsync_FreshFileSystem_ReportsKindLabelUuidAndSizesAsDumpe2fs(string tool, FileSystemKind kind)
    {
        // Given
        var image = _scratch.Make(tool, 64 * MiB, "-L", "root-fs", "-U", "0f1E2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
        var report = Dumpe2fsReport.Parse(E2fsTools.Dumpe2fsHeader(image));

        // When
        var (description, _) = await ExtScratch.ReadAsync(image);

        // Then
        Assert.NotNull(description);
        Assert.Equal(kind, description.Kind);
        Assert.Equal("root-fs", description.Label);
        Assert.Equal(report.Uuid, description.Uuid);
        Assert.Equal("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", description.Uuid);
        Assert.Equal(report.BlockSize, description.BlockSize);
        Assert.Equal(report.BlockCount * report.BlockSize, description.TotalBytes);
        Assert.Equal((report.BlockCount - report.FreeBlocks) * report.BlockSize, description.UsedBytes);
        Assert.Null(description.Note);
    }

    [Fact]
    public async Task ProbeAsync_Ext4WithoutJournal_IsStillExt4()
    {
        // Given
        var image = _scratch.Make("mkfs.ext4", 32 * MiB, "-O", "^has_journal");

        // When
        var (description, ranges) = await ExtScratch.ReadAsync(image);

        // Then
        Assert.Equal(FileSystemKind.Ext4, description?.Kind);
        Assert.Null(description?.Label);
        Assert.NotNull(ranges);
    }

    [Fact]
    public async Task ProbeAsync_NotAnExtFileSystem_ReturnsNull()
    {
        // Given
        var bytes = new byte[1 * MiB];
        new Random(7).NextBytes(bytes);
        bytes[1024 + 0x38] = 0x52;
        var disk = new MemoryBlockSource(bytes);

        // When
        var description = await new ExtFileSystemReader().ProbeAsync(disk, 0, disk.Length);

        // Then
        Assert.Null(description);
    }

    [Fact]
    public async Task ProbeAsync_PartitionTooShortForASuperblock_ReturnsNull()
    {
        // Given
        var disk = new MemoryBlockSource(new byte[4096]);

        // When
        var description = await new ExtFileSystemReader().ProbeAsync(disk, 0, 2047);

        // Then
        Assert.Null(description);
    }

    [Fact]
    public async Task GetAllocatedRangesAsync_FileSystemInsidePartition_RangesAreRelativeToItsStart()
    {
        // Given: the image at 3 MiB into a bigger disk, with garbage before and after it
        var image = _scratch.Make("mkfs.ext4", 16 * MiB, "-b", "1024");
        var fs = await File.ReadAllBytesAsync(image);
        var disk = new byte[fs.Length + (5 * MiB)];
        new Random(3).NextBytes(disk);
        fs.CopyTo(disk, 3 * MiB);
        var (alone, aloneRanges) = await ExtScratch.ReadAsync(image);

        // When
        var (description, ranges) = await ExtScratch.ReadAsync(new MemoryBlockSource(disk), 3 * MiB, fs.Length);

        // Then
        Assert.NotNull(ranges);
        Assert.Equal(alone, description);
        Assert.Equal(aloneRanges, ranges);
    }

    [Fact]
    public async Task GetAllocatedRangesAsync_BlockSize1024_IncludesBootBlockAndSuperblock()
    {
        // Given
        var image = _scratch.Make("mkfs.ext4", 16 * MiB, "-b", "1024");

        // When
        var (_, ranges) = await ExtScratch.ReadAsync(image);

        // Then
        Assert.NotNull(ranges);
        Assert.Equal(0, ranges[0].Offset);
        Assert.True(ranges[0].Length >= 2048);
    }
}
