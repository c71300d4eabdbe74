using Sms.Blocks;
using Sms.Discovery;
using Sms.Discovery.FileSystems.Xfs;
using Sms.Replication.Tests.Blocks;
using Xunit.Abstractions;

namespace Sms.Replication.Tests.Discovery.Xfs;

public sealed class XfsProbeTests(ITestOutputHelper output)
{
    private readonly XfsFileSystemReader _reader = new();

    [Theory]
    [MemberData(nameof(XfsCases.FreshNames), MemberType = typeof(XfsCases))]
    public async Task ProbeAsync_FreshImage_DescribesTheSuperblockAsTheToolsDo(string name)
    {
        // Given
        using var temp = new TempDirectory();
        var image = temp.File("fs.img");
        if (!XfsCases.TryMake(name, temp.Path, image))
        {
            return; // this mkfs.xfs no longer makes v4 file systems
        }

        var sb = XfsTools.Fields(image, "sb 0");
        var facts = XfsDbFacts.Read(image);
        await using var disk = FileBlockSource.Open(image);

        // When
        var description = await _reader.ProbeAsync(disk, 0, disk.Length);

        // Then
        Assert.NotNull(description);
        Assert.Equal(FileSystemKind.Xfs, description.Kind);
        Assert.Equal(sb["uuid"], description.Uuid);
        if (XfsTools.IsInstalled("blkid"))
        {
            Assert.Equal(BlkidValue(image, "UUID"), description.Uuid);
            Assert.Equal(BlkidValue(image, "LABEL"), description.Label);
        }

        Assert.Equal(facts.BlockSize, description.BlockSize);
        Assert.Equal(facts.DataBlocks * facts.BlockSize, description.TotalBytes);
        Assert.Equal((facts.DataBlocks - facts.AgfFreeBlocks) * facts.BlockSize, description.UsedBytes);
        Assert.Null(description.Note);
    }

    [Fact]
    public async Task ProbeAsync_LabelledImage_ReturnsLabel()
    {
        // Given
        using var temp = new TempDirectory();
        var image = temp.File("fs.img");
        XfsCases.TryMake("v5-1GiB-labelled-rmapbt", temp.Path, image);
        await using var disk = FileBlockSource.Open(image);

        // When
        var description = await _reader.ProbeAsync(disk, 0, disk.Length);

        // Then
        Assert.Equal("sms-data", description?.Label);
    }

    [Fact]
    public async Task ProbeAsync_ImageInsidePartition_ReadsAtTheOffset()
    {
        // Given: the file system 1 MiB into the disk
        using var temp = new TempDirectory();
        var image = temp.File("fs.img");
        XfsCases.TryMake("v5-300MiB", temp.Path, image);
        await using var file = FileBlockSource.Open(image);
        var disk = new PatchedSource(file, shift: XfsImages.Mebibyte);
        var plain = await _reader.ProbeAsync(file, 0, file.Length);

        // When
        var shifted = await _reader.ProbeAsync(disk, XfsImages.Mebibyte, file.Length);
        var ranges = await _reader.GetAllocatedRangesAsync(disk, XfsImages.Mebibyte, file.Length, shifted!);

        // Then: ranges stay relative to the file system
        Assert.Equal(plain, shifted);
        Assert.Equal(await _reader.GetAllocatedRangesAsync(file, 0, file.Length, plain!), ranges);
        Assert.Null(await _reader.ProbeAsync(disk, 0, disk.Length));
    }

    [Fact]
    public async Task ProbeAsync_ZeroedDisk_ReturnsNull()
    {
        // Given
        using var temp = new TempDirectory();
        var image = temp.File("zero.img");
        XfsTools.CreateSparse(image, 4 * XfsImages.Mebibyte);
        await using var disk = FileBlockSource.Open(image);

        // When
        var description = await _reader.ProbeAsync(disk, 0, disk.Length);

        // Then
        Assert.Null(description);
    }

    [Fact]
    public async Task ProbeAsync_PartitionTooShortForSuperblock_ReturnsNull()
    {
        // Given
        using var temp = new TempDirectory();
        var image = temp.File("fs.img");
        XfsCases.TryMake("v5-300MiB", temp.Path, image);
        await using var disk = FileBlockSource.Open(image);

        // When
        var description = await _reader.ProbeAsync(disk, 0, 100);

        // Then
        Assert.Null(description);
    }

    [Fact]
    public async Task ProbeAsync_PartitionShorterThanFileSystem_NotesItAndMapsNothing()
    {
        // Given
        using var temp = new TempDirectory();
        var image = temp.File("fs.img");
        XfsCases.TryMake("v5-300MiB", temp.Path, image);
        await using var disk = FileBlockSource.Open(image);

        // When
        var description = await _reader.ProbeAsync(disk, 0, disk.Length / 2);
        var ranges = await _reader.GetAllocatedRangesAsync(disk, 0, disk.Length / 2, description!);

        // Then
        Assert.NotNull(description);
        Assert.Null(description.UsedBytes);
        Assert.Equal(disk.Length, description.TotalBytes);
        Assert.Contains("larger than its partition", description.Note, StringComparison.Ordinal);
        Assert.Null(ranges);
    }

    [Fact]
    public async Task ProbeAsync_ExternalLog_NotesItButStillMapsTheDataDevice()
    {
        // Given
        using var temp = new TempDirectory();
        var image = temp.File("fs.img");
        var log = temp.File("log.img");
        XfsTools.CreateSparse(log, 64 * XfsImages.Mebibyte);
        XfsTools.MakeFileSystem(image, 300 * XfsImages.Mebibyte, "-l", $"logdev={log}");
        Assert.Equal(0, XfsTools.Field(XfsTools.Fields(image, "sb 0"), "logstart"));
        await using var disk = FileBlockSource.Open(image);

        // When
        var description = await _reader.ProbeAsync(disk, 0, disk.Length);
        var map = await XfsFileSystemReader.ReadAllocationMapAsync(disk, 0, disk.Length, description!, default);

        // Then
        Assert.NotNull(description);
        Assert.Contains("external log", description.Note, StringComparison.Ordinal);
        Assert.Contains("external log", map.Note, StringComparison.Ordinal);
        XfsDbFacts.Read(image).AssertMatches(description, map, output, "external log");
    }

    [Fact]
    public async Task ProbeAsync_RealtimeDevice_NotesItButStillMapsTheDataDevice()
    {
        // Given
        using var temp = new TempDirectory();
        var image = temp.File("fs.img");
        var realtime = temp.File("rt.img");
        XfsTools.CreateSparse(realtime, 64 * XfsImages.Mebibyte);
        XfsTools.MakeFileSystem(image, 300 * XfsImages.Mebibyte, "-r", $"rtdev={realtime}");
        await using var disk = FileBlockSource.Open(image);

        // When
        var description = await _reader.ProbeAsync(disk, 0, disk.Length);
        var map = await XfsFileSystemReader.ReadAllocationMapAsync(disk, 0, disk.Length, description!, default);

        // Then
        Assert.NotNull(description);
        Assert.Contains("realtime device", description.Note, StringComparison.Ordinal);
        XfsDbFacts.Read(image).AssertMatches(description, map, output, "realtime");
    }

    private static string? BlkidValue(string image, string key)
    {
        foreach (var line in XfsTools.Run("blkid", "-p", "-o", "export", image).Split('\n', StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith(key + "=", StringComparison.Ordinal))
            {
                return line[(key.Length + 1)..];
            }
        }

        return null;
    }
}
