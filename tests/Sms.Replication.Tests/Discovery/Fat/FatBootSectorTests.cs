using Sms.Discovery.FileSystems.Fat;

namespace Sms.Replication.Tests.Discovery.Fat;

public sealed class FatBootSectorTests
{
    // One reserved sector, two FATs of 256 sectors, a 512-entry root (32 sectors): clusters = total - 545.
    private static FatVolumeSpec Fat16Layout(long clusters) => new()
    {
        FatSectors = 256,
        TotalSectors = 1 + (2 * 256) + 32 + clusters,
    };

    [Theory]
    [InlineData(1, 12)]
    [InlineData(4084, 12)]
    [InlineData(4085, 16)]
    [InlineData(65524, 16)]
    public void TryParse_ClusterCountAtBoundary_TypeFollowsSpecification(long clusters, int expectedBits)
    {
        // Given
        var sector = Fat16Layout(clusters).BootSector();

        // When
        var parsed = FatBootSector.TryParse(sector, out var bootSector);

        // Then
        Assert.True(parsed);
        Assert.Equal(expectedBits, (int)bootSector!.Type);
        Assert.Equal(clusters, bootSector.ClusterCount);
    }

    [Fact]
    public void TryParse_Fat16BpbWith65525Clusters_IsRejected()
    {
        // Given: FAT32 by count, but a FAT12/16 BPB (non-zero 16-bit FAT size) cannot describe it.
        var sector = Fat16Layout(65525).BootSector();

        // When
        var parsed = FatBootSector.TryParse(sector, out _);

        // Then
        Assert.False(parsed);
    }

    [Theory]
    [InlineData(65525)]
    [InlineData(70000)]
    [InlineData(1000)]
    public void TryParse_Fat32Bpb_IsFat32WithRootClusterAndNoFixedRoot(long clusters)
    {
        // Given
        var spec = new FatVolumeSpec { Fat32Bpb = true, RootEntries = 0, ReservedSectors = 32, FatSectors = 600, TotalSectors = 32 + 1200 + clusters, RootCluster = 2, EntryBits = 32 };

        // When
        var parsed = FatBootSector.TryParse(spec.BootSector(), out var bootSector);

        // Then
        Assert.True(parsed);
        Assert.Equal(FatType.Fat32, bootSector!.Type);
        Assert.Equal(clusters, bootSector.ClusterCount);
        Assert.Equal(2u, bootSector.RootCluster);
        Assert.Equal((32 + 1200) * 512L, bootSector.FixedAreaBytes);
    }

    [Fact]
    public void TryParse_FatShorterThanClusterCount_ClustersLimitedToWhatTheFatMaps()
    {
        // Given: one FAT sector of 16-bit entries maps 256 entries, 254 of them data clusters.
        var spec = new FatVolumeSpec { FatSectors = 1, TotalSectors = 1 + 2 + 32 + 5000 };

        // When
        var parsed = FatBootSector.TryParse(spec.BootSector(), out var bootSector);

        // Then
        Assert.True(parsed);
        Assert.Equal(FatType.Fat16, bootSector!.Type);
        Assert.Equal(254, bootSector.ClusterCount);
    }

    [Fact]
    public void TryParse_MirroringDisabled_ReadsTheActiveFat()
    {
        // Given: bit 7 of the extended flags turns mirroring off; bits 0-3 name the active FAT.
        var spec = new FatVolumeSpec { Fat32Bpb = true, RootEntries = 0, ReservedSectors = 32, FatSectors = 600, TotalSectors = 100000, ExtendedFlags = 0x81 };

        // When
        var parsed = FatBootSector.TryParse(spec.BootSector(), out var bootSector);

        // Then
        Assert.True(parsed);
        Assert.Equal(1, bootSector!.ActiveFat);
        Assert.Equal((32 + 600) * 512L, bootSector.FatOffset);
    }

    [Theory]
    [InlineData(0x1234ABCDu, "1234-ABCD")]
    [InlineData(0x0000000Fu, "0000-000F")]
    [InlineData(0xDEADBEEFu, "DEAD-BEEF")]
    public void FormatSerial_VolumeId_PrintsAsBlkid(uint volumeId, string expected)
    {
        // Given, When
        var serial = FatFileSystemReader.FormatSerial(volumeId);

        // Then
        Assert.Equal(expected, serial);
    }

    [Theory]
    [InlineData("NO NAME", null)]
    [InlineData("", null)]
    [InlineData("DATA", "DATA")]
    [InlineData("MY DISK", "MY DISK")]
    public void TryParse_BootLabel_PaddingAndNoNameRemoved(string raw, string? expected)
    {
        // Given
        var spec = Fat16Layout(5000) with { BootLabel = raw };

        // When
        var parsed = FatBootSector.TryParse(spec.BootSector(), out var bootSector);

        // Then
        Assert.True(parsed);
        Assert.Equal(expected, bootSector!.Label);
        Assert.Equal(0x1234ABCDu, bootSector.VolumeId);
    }

    [Theory]
    [InlineData(0x0B, 0x00)] // bytes per sector 0 (with 0x0C cleared below)
    [InlineData(0x0C, 0x03)] // bytes per sector 768
    [InlineData(0x0D, 0x03)] // 3 sectors per cluster
    [InlineData(0x0E, 0x00)] // no reserved sector (NTFS has none)
    [InlineData(0x10, 0x00)] // no FAT
    [InlineData(0x15, 0x12)] // media byte
    [InlineData(0x1FE, 0x00)] // signature
    [InlineData(0x00, 0x00)] // jump
    public void TryParse_InvalidField_IsRejected(int offset, byte value)
    {
        // Given
        var sector = Fat16Layout(5000).BootSector();
        sector[offset] = value;
        if (offset == 0x0B)
        {
            sector[0x0C] = 0;
        }

        // When
        var parsed = FatBootSector.TryParse(sector, out _);

        // Then
        Assert.False(parsed);
    }
}
