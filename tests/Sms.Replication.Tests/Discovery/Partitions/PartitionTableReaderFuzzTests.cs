using FsCheck.Xunit;
using Sms.Discovery;
using Sms.Discovery.Partitions;

namespace Sms.Replication.Tests.Discovery.Partitions;

public sealed class PartitionTableReaderFuzzTests
{
    [Property(MaxTest = 1000, Arbitrary = [typeof(PartitionArbitraries)])]
    public async Task ReadAsync_RandomSectors_ReturnsATableThatStaysOnTheDisk(FuzzDisk fuzz)
    {
        // Given
        await using var disk = fuzz.ToDisk();

        // When
        var table = await PartitionTableReader.ReadAsync(disk);

        // Then
        AssertWellFormed(table, disk.Length);
    }

    [Property(MaxTest = 1000, Arbitrary = [typeof(PartitionArbitraries)])]
    public async Task ReadAsync_GptHeaderWithRandomFieldsAndRightCrcs_ReturnsATableThatStaysOnTheDisk(HostileGpt hostile)
    {
        // Given
        await using var disk = hostile.ToDisk();

        // When
        var table = await PartitionTableReader.ReadAsync(disk);

        // Then
        AssertWellFormed(table, disk.Length);
        Assert.NotEqual(PartitionTableKind.None, table.Kind);
    }

    [Fact]
    public async Task ReadAsync_DiskShorterThanASector_HasNoTable()
    {
        // Given
        await using var disk = new MemoryDisk(100);

        // When
        var table = await PartitionTableReader.ReadAsync(disk);

        // Then
        Assert.Equal(PartitionTableKind.None, table.Kind);
    }

    private static void AssertWellFormed(PartitionTable table, long diskLength)
    {
        Assert.True(Enum.IsDefined(table.Kind));
        if (table.Kind == PartitionTableKind.None)
        {
            Assert.Empty(table.Partitions);
            Assert.Empty(table.MetadataRanges);
        }

        Assert.All(table.Partitions, p => Assert.True(p.Start >= 0 && p.Length >= 0 && p.Start + p.Length <= diskLength, $"{p} is not on a disk of {diskLength} bytes"));
        Assert.Equal(table.Partitions.Count, table.Partitions.Select(p => p.Number).Distinct().Count());
        Assert.All(table.MetadataRanges, r => Assert.True(r.Offset >= 0 && r.Length > 0 && r.End <= diskLength, $"{r}"));
        Assert.All(table.Warnings, w => Assert.False(string.IsNullOrWhiteSpace(w)));
    }
}
