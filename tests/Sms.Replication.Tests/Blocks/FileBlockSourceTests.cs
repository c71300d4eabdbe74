using Sms.Blocks;

namespace Sms.Replication.Tests.Blocks;

public sealed class FileBlockSourceTests : IDisposable
{
    private const long Mib = 1 << 20;
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private (string Path, (long Offset, byte[] Data)[] Writes) CreateSparseImage()
    {
        var path = _directory.File("disk.img");
        (long, byte[])[] writes =
        [
            (0, SparseFile.Pattern(4096, 1)),
            ((16 * Mib) + 100, SparseFile.Pattern(5000, 2)),
            ((40 * Mib) - 7, SparseFile.Pattern(300, 3)),
        ];
        SparseFile.Create(path, 64 * Mib, writes);
        return (path, writes);
    }

    [Fact]
    public async Task GetDataRangesAsync_SparseFile_CoversEveryWrittenByte()
    {
        // Given
        var (path, writes) = CreateSparseImage();
        await using var source = FileBlockSource.Open(path);

        // When
        var ranges = await source.GetDataRangesAsync();

        // Then
        foreach (var (offset, data) in writes)
        {
            var written = new BlockRange(offset, data.Length);
            Assert.True(
                ranges.Any(r => r.Offset <= written.Offset && written.End <= r.End),
                $"{written} is not inside one data range: {string.Join(", ", ranges)}");
        }
    }

    [Fact]
    public async Task GetDataRangesAsync_SparseFile_ExcludesLargeHoles()
    {
        // Given
        var (path, _) = CreateSparseImage();
        await using var source = FileBlockSource.Open(path);
        BlockRange[] holes = [BlockRange.FromBounds(2 * Mib, 15 * Mib), BlockRange.FromBounds(18 * Mib, 38 * Mib), BlockRange.FromBounds(42 * Mib, 64 * Mib)];

        // When
        var ranges = await source.GetDataRangesAsync();

        // Then
        Assert.All(holes, hole => Assert.DoesNotContain(ranges, r => r.Overlaps(hole)));
        Assert.True(BlockRanges.TotalLength(ranges) < 8 * Mib, $"{BlockRanges.TotalLength(ranges)} data bytes reported");
        for (var i = 1; i < ranges.Count; i++)
        {
            Assert.True(ranges[i - 1].End <= ranges[i].Offset);
        }
    }

    [Fact]
    public async Task GetDataRangesAsync_WithAllocationMap_ReturnsOnlyAllocatedDataRanges()
    {
        // Given
        var (path, _) = CreateSparseImage();
        IReadOnlyList<BlockRange> unmapped;
        await using (var plain = FileBlockSource.Open(path))
        {
            unmapped = await plain.GetDataRangesAsync();
        }

        var map = new FixedAllocationMap(new BlockRange(1024, 1024), new BlockRange(40 * Mib, Mib), new BlockRange(63 * Mib, 2 * Mib));
        await using var source = FileBlockSource.Open(path, map);

        // When
        var ranges = await source.GetDataRangesAsync();

        // Then
        Assert.Equal(BlockRanges.Intersect(unmapped, BlockRanges.Clip(map.AllocatedRanges, 64 * Mib)), ranges);
        Assert.Contains(new BlockRange(1024, 1024), ranges);
        Assert.Contains(ranges, r => r.Offset == 40 * Mib);
        Assert.DoesNotContain(ranges, r => r.Overlaps(new BlockRange(16 * Mib, Mib)));
        Assert.All(ranges, r => Assert.True(r.End <= 64 * Mib));
    }

    [Fact]
    public async Task GetDataRangesAsync_EmptyAllocationMap_ReturnsNoRange()
    {
        // Given
        var (path, _) = CreateSparseImage();
        await using var source = FileBlockSource.Open(path, new FixedAllocationMap());

        // When
        var ranges = await source.GetDataRangesAsync();

        // Then
        Assert.Empty(ranges);
    }

    [Fact]
    public async Task GetDataRangesAsync_FullyWrittenFile_ReturnsOneRange()
    {
        // Given
        var path = _directory.File("full.img");
        await File.WriteAllBytesAsync(path, SparseFile.Pattern(64 * 1024, 9));
        await using var source = FileBlockSource.Open(path);

        // When
        var ranges = await source.GetDataRangesAsync();

        // Then
        Assert.Equal([new BlockRange(0, 64 * 1024)], ranges);
    }

    [Fact]
    public async Task GetDataRangesAsync_EmptyFile_ReturnsNoRange()
    {
        // Given
        var path = _directory.File("empty.img");
        await File.WriteAllBytesAsync(path, []);
        await using var source = FileBlockSource.Open(path);

        // When
        var ranges = await source.GetDataRangesAsync();

        // Then
        Assert.Empty(ranges);
        Assert.Equal(0, source.Length);
    }

    [Fact]
    public async Task ReadAsync_WrittenOffsets_ReturnsWrittenBytes()
    {
        // Given
        var (path, writes) = CreateSparseImage();
        await using var source = FileBlockSource.Open(path);

        foreach (var (offset, data) in writes)
        {
            var buffer = new byte[data.Length];

            // When
            var read = await source.ReadAsync(offset, buffer);

            // Then
            Assert.Equal(data.Length, read);
            Assert.Equal(data, buffer);
        }
    }

    [Fact]
    public async Task ReadAsync_Hole_ReturnsZeros()
    {
        // Given
        var (path, _) = CreateSparseImage();
        await using var source = FileBlockSource.Open(path);
        var buffer = new byte[64 * 1024];
        Array.Fill(buffer, (byte)0xFF);

        // When
        var read = await source.ReadAsync(8 * Mib, buffer);

        // Then
        Assert.Equal(buffer.Length, read);
        Assert.True(BlockHash.IsZero(buffer));
    }

    [Fact]
    public async Task ReadAsync_AcrossEnd_ReturnsOnlyBytesBeforeEnd()
    {
        // Given
        var path = _directory.File("small.img");
        var content = SparseFile.Pattern(10_000, 4);
        await File.WriteAllBytesAsync(path, content);
        await using var source = FileBlockSource.Open(path);
        var buffer = new byte[4096];

        // When
        var tail = await source.ReadAsync(8192, buffer);
        var beyond = await source.ReadAsync(20_000, buffer);

        // Then
        Assert.Equal(10_000 - 8192, tail);
        Assert.Equal(content.AsSpan(8192).ToArray(), buffer.AsSpan(0, tail).ToArray());
        Assert.Equal(0, beyond);
    }

    [Fact]
    public async Task Open_RegularFile_DescribesIt()
    {
        // Given
        var (path, _) = CreateSparseImage();

        // When
        await using var source = FileBlockSource.Open(path);
        var disk = await source.DescribeAsync();

        // Then
        Assert.Equal(64 * Mib, source.Length);
        Assert.Equal(512, source.SectorSize);
        Assert.False(source.IsBlockDevice);
        Assert.Equal(path, source.Name);
        Assert.Equal(new SourceDisk(path, 64 * Mib, 512) { DataBytes = BlockRanges.TotalLength(await source.GetDataRangesAsync()) }, disk);
    }

    [Fact]
    public void Open_MissingPath_ThrowsSourceReadFailed()
    {
        // Given
        var path = _directory.File("missing.img");

        // When
        var ex = Assert.Throws<SmsException>(() => FileBlockSource.Open(path));

        // Then
        Assert.Equal(SmsErrorCode.SourceReadFailed, ex.ErrorCode);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }
}
