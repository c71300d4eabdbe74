using FsCheck;
using FsCheck.Xunit;
using Sms.Discovery.Partitions;

namespace Sms.Replication.Tests.Discovery.Partitions;

public sealed class MbrParserTests
{
    [Property(MaxTest = 300, Arbitrary = [typeof(PartitionArbitraries)])]
    public void ReadEntries_EncodedPrimaries_ParseBackToTheSameEntries(MbrLayout layout)
    {
        // Given
        var sector = layout.ToDisk().Read(0, 512);

        // When
        var entries = MbrParser.ReadEntries(sector);
        var signature = MbrParser.ReadDiskSignature(sector);

        // Then
        Assert.Equal(layout.DiskSignature, signature);
        for (var slot = 0; slot < 4; slot++)
        {
            var expected = layout.Primaries.SingleOrDefault(p => p.Slot == slot);
            if (expected is null)
            {
                Assert.False(entries[slot].IsUsed);
                continue;
            }

            Assert.Equal(new MbrEntry(expected.Bootable ? (byte)0x80 : (byte)0, expected.Type, expected.FirstLba, expected.SectorCount), entries[slot]);
            Assert.Equal(expected.IsExtended, entries[slot].IsExtended);
        }
    }

    [Property(MaxTest = 300, Arbitrary = [typeof(PartitionArbitraries)])]
    public void Classify_EncodedPlausiblePrimaries_IsAnMbr(MbrLayout layout)
    {
        // Given
        var sector = layout.ToDisk().Read(0, 512);

        // When
        var kind = MbrParser.Classify(sector, layout.DiskSectors, out var problem);

        // Then
        Assert.Equal(MbrSectorKind.Mbr, kind);
        Assert.Null(problem);
    }

    [Property(MaxTest = 1000)]
    public void Classify_ArbitrarySector_NeverThrows(byte[] bytes, bool withSignature, PositiveInt diskSectors)
    {
        // Given
        var sector = new byte[512];
        bytes.AsSpan(0, Math.Min(bytes.Length, 512)).CopyTo(sector);
        if (withSignature)
        {
            sector[510] = 0x55;
            sector[511] = 0xAA;
        }

        // When
        var kind = MbrParser.Classify(sector, diskSectors.Get, out var problem);

        // Then
        Assert.True(Enum.IsDefined(kind));
        Assert.Equal(kind == MbrSectorKind.Implausible, problem is not null);
        Assert.True(withSignature || kind == MbrSectorKind.NoSignature);
    }

    [Fact]
    public void Classify_NoBootSignature_IsNoSignature()
    {
        // Given
        var sector = MbrImage.Sector(0x1234, new MbrEntry(0, 0x83, 2048, 4096));
        sector[511] = 0;

        // When
        var kind = MbrParser.Classify(sector, 1 << 20, out _);

        // Then
        Assert.Equal(MbrSectorKind.NoSignature, kind);
    }

    [Fact]
    public void Classify_NtfsBootSector_IsAFileSystem()
    {
        // Given
        var sector = MbrImage.Sector(0);
        "NTFS    "u8.CopyTo(sector.AsSpan(3));

        // When
        var kind = MbrParser.Classify(sector, 1 << 20, out _);

        // Then
        Assert.Equal(MbrSectorKind.FileSystemBootSector, kind);
    }

    [Theory]
    [InlineData(0x36)]
    [InlineData(0x52)]
    public void Classify_FatBootSectorWithFakeWholeDiskEntry_IsAFileSystem(int fatTypeOffset)
    {
        // Given: what mkfs.fat --mbr=y writes: one entry from sector 0 over the whole disk.
        var sector = MbrImage.Sector(0x1234, new MbrEntry(0x80, 0x06, 0, 1 << 20));
        "FAT16   "u8.CopyTo(sector.AsSpan(fatTypeOffset));

        // When
        var kind = MbrParser.Classify(sector, 1 << 20, out _);

        // Then
        Assert.Equal(MbrSectorKind.FileSystemBootSector, kind);
    }

    [Fact]
    public void Classify_FatTextInBootCodeWithPlausibleEntries_IsAnMbr()
    {
        // Given
        var sector = MbrImage.Sector(0x1234, new MbrEntry(0x80, 0x0c, 2048, 1 << 19));
        "FAT32   "u8.CopyTo(sector.AsSpan(0x52));

        // When
        var kind = MbrParser.Classify(sector, 1 << 20, out _);

        // Then
        Assert.Equal(MbrSectorKind.Mbr, kind);
    }

    [Theory]
    [InlineData(0x01, 0x83, 2048u, 4096u, "status byte 0x01")]
    [InlineData(0x00, 0x83, 0u, 4096u, "starts at sector 0")]
    [InlineData(0x00, 0x83, 2_000_000u, 4096u, "beyond the end of the disk")]
    public void Classify_NonsenseEntry_IsImplausible(byte status, byte type, uint firstLba, uint sectors, string because)
    {
        // Given
        var sector = MbrImage.Sector(0x1234, new MbrEntry(0, 0x83, 100_000, 50), new MbrEntry(status, type, firstLba, sectors));

        // When
        var kind = MbrParser.Classify(sector, 1 << 20, out var problem);

        // Then
        Assert.Equal(MbrSectorKind.Implausible, kind);
        Assert.Contains(because, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_OverlappingEntries_IsImplausible()
    {
        // Given
        var sector = MbrImage.Sector(0x1234, new MbrEntry(0, 0x83, 2048, 4096), null, new MbrEntry(0, 0x07, 4000, 100));

        // When
        var kind = MbrParser.Classify(sector, 1 << 20, out var problem);

        // Then
        Assert.Equal(MbrSectorKind.Implausible, kind);
        Assert.Equal("entries 1 and 3 overlap", problem);
    }

    [Fact]
    public void Classify_HybridMbr_IsProtective()
    {
        // Given: a hybrid MBR, 0xee over the GPT area next to a real FAT partition.
        var sector = MbrImage.Sector(0, new MbrEntry(0, 0xee, 1, 2047), new MbrEntry(0x80, 0x0c, 2048, 4096));

        // When
        var kind = MbrParser.Classify(sector, 1 << 20, out _);

        // Then
        Assert.Equal(MbrSectorKind.ProtectiveMbr, kind);
    }

    [Fact]
    public void Classify_EmptyTable_IsAnMbrWithNothingInIt()
    {
        // Given: what "label: dos" with no partitions writes.
        var sector = MbrImage.Sector(0xdb1271e8);

        // When
        var kind = MbrParser.Classify(sector, 1 << 20, out _);

        // Then
        Assert.Equal(MbrSectorKind.Mbr, kind);
        Assert.Equal("db1271e8", MbrParser.FormatDiskSignature(MbrParser.ReadDiskSignature(sector)));
    }
}
