using FsCheck;
using FsCheck.Xunit;
using Sms.Blocks;
using Sms.Discovery;
using Sms.Discovery.Partitions;

namespace Sms.Replication.Tests.Discovery.Partitions;

public sealed class PartitionTableReaderMbrTests
{
    [Property(MaxTest = 300, Arbitrary = [typeof(PartitionArbitraries)])]
    public async Task ReadAsync_EncodedMbrWithLogicals_ReadsBackTheSamePartitions(MbrLayout layout)
    {
        // Given
        await using var disk = layout.ToDisk();

        // When
        var table = await PartitionTableReader.ReadAsync(disk);

        // Then
        Assert.Equal(PartitionTableKind.Mbr, table.Kind);
        Assert.Equal($"{layout.DiskSignature:x8}", table.DiskId);
        Assert.Equal(layout.ExpectedPartitions(), table.Partitions);
        Assert.Empty(table.Warnings);
        var ebrs = layout.Logicals.Select(l => new BlockRange((long)l.EbrLba * layout.SectorSize, layout.SectorSize));
        Assert.Equal(BlockRanges.Coalesce(ebrs.Prepend(new BlockRange(0, layout.SectorSize))), table.MetadataRanges);
    }

    [Property(MaxTest = 200)]
    public async Task ReadAsync_EbrChainLoopingBack_StopsWithAWarning(PositiveInt length, NonNegativeInt target)
    {
        // Given: a chain of EBRs whose last one links back to an earlier one (or to itself).
        var count = (length.Get % 10) + 1;
        var loopTo = target.Get % count;
        var disk = new MemoryDisk(1L << 30);
        const uint extendedStart = 2048;
        const uint step = 4096;
        disk.Write(0, MbrImage.Sector(0xcafe, new MbrEntry(0, 0x05, extendedStart, (uint)count * step)));
        for (var i = 0; i < count; i++)
        {
            var ebr = extendedStart + ((uint)i * step);
            var nextIndex = i + 1 < count ? i + 1 : loopTo;
            var link = new MbrEntry(0, 0x05, (uint)nextIndex * step, step);
            disk.Write((long)ebr * 512, MbrImage.Sector(0, new MbrEntry(0, 0x83, 2048, 1024), link));
        }

        // When
        var table = await PartitionTableReader.ReadAsync(disk);

        // Then
        Assert.Equal(PartitionTableKind.Mbr, table.Kind);
        Assert.Equal(Enumerable.Range(5, count), table.Partitions.Where(p => !p.IsExtendedContainer).Select(p => p.Number));
        var warning = Assert.Single(table.Warnings);
        Assert.Contains($"loops back to sector {extendedStart + ((uint)loopTo * step)}", warning, StringComparison.Ordinal);
        Assert.True(disk.ReadCount <= count + 1, $"{disk.ReadCount} reads");
    }

    [Fact]
    public async Task ReadAsync_EbrLinkOutsideTheExtendedPartition_StopsWithAWarning()
    {
        // Given
        var disk = new MemoryDisk(1L << 30);
        disk.Write(0, MbrImage.Sector(1, new MbrEntry(0, 0x0f, 2048, 8192)));
        disk.Write(2048L * 512, MbrImage.Sector(0, new MbrEntry(0, 0x83, 2048, 1024), new MbrEntry(0, 0x05, 100_000, 4096)));

        // When
        var table = await PartitionTableReader.ReadAsync(disk);

        // Then
        Assert.Equal([1, 5], table.Partitions.Select(p => p.Number));
        Assert.Contains("outside extended partition 1", Assert.Single(table.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_EbrLinkToASectorWithoutSignature_StopsWithAWarning()
    {
        // Given
        var disk = new MemoryDisk(1L << 30);
        disk.Write(0, MbrImage.Sector(1, new MbrEntry(0, 0x85, 2048, 65536)));
        disk.Write(2048L * 512, MbrImage.Sector(0, new MbrEntry(0, 0x83, 2048, 1024), new MbrEntry(0, 0x05, 8192, 4096)));

        // When
        var table = await PartitionTableReader.ReadAsync(disk);

        // Then
        Assert.Equal([1, 5], table.Partitions.Select(p => p.Number));
        Assert.Contains("is not an EBR", Assert.Single(table.Warnings), StringComparison.Ordinal);
        Assert.Equal([new BlockRange(0, 512), new BlockRange(2048L * 512, 512)], table.MetadataRanges);
    }

    [Fact]
    public async Task ReadAsync_EmptyExtendedPartition_HasNoLogicalsAndNoWarning()
    {
        // Given: "type=5" with nothing in it: no EBR written at all.
        var disk = new MemoryDisk(1L << 30);
        disk.Write(0, MbrImage.Sector(1, new MbrEntry(0, 0x83, 2048, 2048), new MbrEntry(0, 0x05, 4096, 65536)));

        // When
        var table = await PartitionTableReader.ReadAsync(disk);

        // Then
        Assert.Equal([1, 2], table.Partitions.Select(p => p.Number));
        Assert.True(table.Partitions[1].IsExtendedContainer);
        Assert.Equal(65536L * 512, table.Partitions[1].Length);
        Assert.Empty(table.Warnings);
    }

    [Fact]
    public async Task ReadAsync_PartitionsPastTheEndOfTheDisk_AreTruncatedOrLeftOutWithWarnings()
    {
        // Given: an image cut short after partitioning; partition 2 runs past its end.
        var disk = new MemoryDisk(10_000L * 512);
        disk.Write(0, MbrImage.Sector(1, new MbrEntry(0, 0x83, 2048, 4096), new MbrEntry(0, 0x83, 6144, 8192)));

        // When
        var table = await PartitionTableReader.ReadAsync(disk);

        // Then
        Assert.Equal(PartitionTableKind.Mbr, table.Kind);
        Assert.Equal(4096L * 512, table.Partitions[0].Length);
        Assert.Equal((10_000L - 6144) * 512, table.Partitions[1].Length);
        Assert.Contains("runs past the end of the disk", Assert.Single(table.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_LogicalStartingBeyondTheEndOfTheDisk_IsLeftOutWithAWarning()
    {
        // Given: the extended partition claims more than the disk has; its second logical lies past the end.
        var disk = new MemoryDisk(20_000L * 512);
        disk.Write(0, MbrImage.Sector(1, new MbrEntry(0, 0x05, 2048, 60_000)));
        disk.Write(2048L * 512, MbrImage.Sector(0, new MbrEntry(0, 0x83, 2048, 1024), new MbrEntry(0, 0x05, 10_000, 30_000)));
        disk.Write(12_048L * 512, MbrImage.Sector(0, new MbrEntry(0, 0x83, 20_000, 1024)));

        // When
        var table = await PartitionTableReader.ReadAsync(disk);

        // Then
        Assert.Equal([1, 5], table.Partitions.Select(p => p.Number));
        Assert.Contains(table.Warnings, w => w.StartsWith("partition 1 ", StringComparison.Ordinal) && w.Contains("truncated", StringComparison.Ordinal));
        Assert.Contains(table.Warnings, w => w.StartsWith("partition 6 starts at sector 32048", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_DiskReportingAnOddSectorSize_Assumes512WithAWarning()
    {
        // Given
        var disk = new MemoryDisk(1L << 20, sectorSize: 2048);
        disk.Write(0, MbrImage.Sector(7, new MbrEntry(0x80, 0x83, 2, 100)));

        // When
        var table = await PartitionTableReader.ReadAsync(disk);

        // Then
        Assert.Equal(1024, table.Partitions.Single().Start);
        Assert.Contains("2048-byte sectors", Assert.Single(table.Warnings), StringComparison.Ordinal);
    }
}
