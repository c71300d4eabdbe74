using FsCheck;
using FsCheck.Xunit;
using Sms.Blocks;
using Sms.Discovery;
using Sms.Discovery.Partitions;

namespace Sms.Replication.Tests.Discovery.Partitions;

public sealed class PartitionTableReaderGptTests
{
    [Property(MaxTest = 200, Arbitrary = [typeof(PartitionArbitraries)])]
    public async Task ReadAsync_BuiltGpt_ReadsBackTheSamePartitions(GptLayout layout)
    {
        // Given
        await using var disk = GptImage.Disk(layout);

        // When
        var table = await PartitionTableReader.ReadAsync(disk);

        // Then
        Assert.Equal(PartitionTableKind.Gpt, table.Kind);
        Assert.Equal(layout.DiskGuid.ToString("D"), table.DiskId);
        Assert.Equal(Expected(layout), table.Partitions);
        Assert.Empty(table.Warnings);
        Assert.Equal(
            [new BlockRange(0, layout.FirstUsableLba * layout.LbaSize), BlockRange.FromBounds(layout.BackupEntriesLba * layout.LbaSize, layout.DiskLength)],
            table.MetadataRanges);
    }

    [Property(MaxTest = 200, Arbitrary = [typeof(PartitionArbitraries)])]
    public async Task ReadAsync_PrimaryHeaderWithOneBitFlipped_UsesTheBackup(GptLayout layout, NonNegativeInt bitSeed)
    {
        // Given
        await using var disk = GptImage.Disk(layout);
        var bit = bitSeed.Get % (92 * 8);
        var header = disk.Read(layout.LbaSize, layout.LbaSize);
        header[bit / 8] ^= (byte)(1 << (bit % 8));
        disk.Write(layout.LbaSize, header);

        // When
        var table = await PartitionTableReader.ReadAsync(disk);

        // Then
        Assert.Equal(PartitionTableKind.Gpt, table.Kind);
        Assert.Equal(layout.DiskGuid.ToString("D"), table.DiskId);
        Assert.Equal(Expected(layout), table.Partitions);
        Assert.Equal(GptTableReader.PrimaryHeaderCorruptWarning, table.Warnings[^1]);
        Assert.StartsWith("primary GPT header at LBA 1 is not usable", table.Warnings[0], StringComparison.Ordinal);
        Assert.Equal(
            [new BlockRange(0, layout.FirstUsableLba * layout.LbaSize), BlockRange.FromBounds(layout.BackupEntriesLba * layout.LbaSize, layout.DiskLength)],
            table.MetadataRanges);
    }

    [Property(MaxTest = 100, Arbitrary = [typeof(PartitionArbitraries)])]
    public async Task ReadAsync_PrimaryEntryArrayDamaged_UsesTheBackupArray(GptLayout layout, NonNegativeInt byteSeed)
    {
        // Given
        await using var disk = GptImage.Disk(layout);
        var at = (2L * layout.LbaSize) + (byteSeed.Get % (layout.EntryCount * layout.EntrySize));
        disk.Write(at, [(byte)(disk.Read(at, 1)[0] ^ 0x5a)]);

        // When
        var table = await PartitionTableReader.ReadAsync(disk);

        // Then
        Assert.Equal(PartitionTableKind.Gpt, table.Kind);
        Assert.Equal(Expected(layout), table.Partitions);
        Assert.Contains(GptTableReader.PrimaryEntriesCorruptWarning, table.Warnings);
    }

    [Fact]
    public async Task ReadAsync_BackupHeaderDamaged_UsesThePrimaryAndWarns()
    {
        // Given
        var layout = Sample(512);
        await using var disk = GptImage.Disk(layout);
        disk.Write((layout.BackupHeaderLba * 512) + 20, [0xff]);

        // When
        var table = await PartitionTableReader.ReadAsync(disk);

        // Then
        Assert.Equal(Expected(layout), table.Partitions);
        Assert.Contains("backup GPT header at LBA", Assert.Single(table.Warnings), StringComparison.Ordinal);
        Assert.Equal(BlockRange.FromBounds(layout.BackupEntriesLba * 512, layout.DiskLength), table.MetadataRanges[^1]);
    }

    [Fact]
    public async Task ReadAsync_BothHeadersDamaged_ReadsTheProtectiveMbrWithAWarning()
    {
        // Given
        var layout = Sample(512);
        await using var disk = GptImage.Disk(layout);
        disk.Write(512 + 30, [0xff]);
        disk.Write((layout.BackupHeaderLba * 512) + 30, [0xff]);

        // When
        var table = await PartitionTableReader.ReadAsync(disk);

        // Then
        Assert.Equal(PartitionTableKind.Mbr, table.Kind);
        var protective = Assert.Single(table.Partitions);
        Assert.Equal("0xee", protective.Type);
        Assert.Equal(512, protective.Start);
        Assert.StartsWith("no valid GPT was found", table.Warnings[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_GptWith4096ByteSectorsOnADiskReporting512_FindsItWithAWarning()
    {
        // Given: an image of a 4Kn disk, read as a file.
        var layout = Sample(4096);
        var image = GptImage.Disk(layout);
        await using var disk = new ReportedSectorSize(image, 512);

        // When
        var table = await PartitionTableReader.ReadAsync(disk);

        // Then
        Assert.Equal(PartitionTableKind.Gpt, table.Kind);
        Assert.Equal(Expected(layout), table.Partitions);
        Assert.StartsWith("the GPT was found with 4096-byte sectors", Assert.Single(table.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_DiskGrownAfterPartitioning_WarnsThatTheBackupIsNotAtTheEnd()
    {
        // Given: the image was enlarged (a bigger target volume, say) and the backup stayed where it was.
        var layout = Sample(512);
        var image = GptImage.Disk(layout);
        await using var disk = new MemoryDisk(layout.DiskLength * 2);
        disk.Write(0, image.Read(0, (int)layout.DiskLength));

        // When
        var table = await PartitionTableReader.ReadAsync(disk);

        // Then
        Assert.Equal(Expected(layout), table.Partitions);
        Assert.Contains("not at the end of the disk", Assert.Single(table.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_EntriesOutsideTheUsableRangeOrBackwards_AreReportedNotThrown()
    {
        // Given
        var type = Guid.Parse("0fc63daf-8483-4772-8e79-3d69d8477de4");
        var layout = new GptLayout(512, 10_000, 128, 128, Guid.NewGuid(),
        [
            new GptPartitionSpec(0, type, Guid.NewGuid(), 10, 100, 0, "over the entries"),
            new GptPartitionSpec(1, type, Guid.NewGuid(), 500, 400, 0, "backwards"),
            new GptPartitionSpec(2, type, Guid.NewGuid(), 50, 2000, 0, "overlapping"),
        ]);
        await using var disk = GptImage.Disk(layout);

        // When
        var table = await PartitionTableReader.ReadAsync(disk);

        // Then
        Assert.Equal([1, 3], table.Partitions.Select(p => p.Number));
        Assert.Contains(table.Warnings, w => w.StartsWith("GPT partition 1 (LBA 10-100) lies outside the usable LBAs", StringComparison.Ordinal));
        Assert.Contains(table.Warnings, w => w.StartsWith("GPT partition 2 ends", StringComparison.Ordinal));
        Assert.Contains("GPT partitions 1 and 3 overlap", table.Warnings);
    }

    internal static List<PartitionDescription> Expected(GptLayout layout)
        => layout.Partitions.OrderBy(p => p.Index).Select(p => new PartitionDescription
        {
            Number = p.Index + 1,
            Start = (long)p.FirstLba * layout.LbaSize,
            Length = (long)(p.LastLba - p.FirstLba + 1) * layout.LbaSize,
            Type = p.Type.ToString("D"),
            UniqueId = p.Unique.ToString("D"),
            Name = p.Name.Length == 0 ? null : p.Name,
        }).ToList();

    private static GptLayout Sample(int lbaSize)
    {
        var linux = Guid.Parse("0fc63daf-8483-4772-8e79-3d69d8477de4");
        var esp = Guid.Parse("c12a7328-f81f-11d2-ba4b-00a0c93ec93b");
        return new GptLayout(lbaSize, GptLayout.DiskSectorsFor(lbaSize, 128, 128, 60_000), 128, 128, Guid.NewGuid(),
        [
            new GptPartitionSpec(0, esp, Guid.NewGuid(), 2048, 4095, 0, "EFI system"),
            new GptPartitionSpec(1, linux, Guid.NewGuid(), 4096, 59_999, 0, "root"),
        ]);
    }
}
