using System.Buffers.Binary;
using Sms.Discovery.FileSystems.Ntfs;

namespace Sms.Replication.Tests.Discovery.Ntfs;

public sealed class NtfsBootSectorTests
{
    internal static byte[] BootSector(byte sectorsPerCluster = 8, sbyte clustersPerRecord = -10, ulong totalSectors = 32767, ulong mftLcn = 4, ulong serial = 0x59C54B11595ABE38)
    {
        var s = new byte[512];
        s[0] = 0xEB;
        s[1] = 0x52;
        s[2] = 0x90;
        "NTFS    "u8.CopyTo(s.AsSpan(3));
        BinaryPrimitives.WriteUInt16LittleEndian(s.AsSpan(0x0B), 512);
        s[0x0D] = sectorsPerCluster;
        s[0x15] = 0xF8;
        BinaryPrimitives.WriteUInt64LittleEndian(s.AsSpan(0x28), totalSectors);
        BinaryPrimitives.WriteUInt64LittleEndian(s.AsSpan(0x30), mftLcn);
        BinaryPrimitives.WriteUInt64LittleEndian(s.AsSpan(0x38), 2);
        s[0x40] = (byte)clustersPerRecord;
        s[0x44] = 1;
        BinaryPrimitives.WriteUInt64LittleEndian(s.AsSpan(0x48), serial);
        s[510] = 0x55;
        s[511] = 0xAA;
        return s;
    }

    [Theory]
    [InlineData(0x01, 512, 512)]
    [InlineData(0x08, 512, 4096)]
    [InlineData(0x80, 512, 65536)]
    [InlineData(0xF8, 512, 131072)] // -8: 2^8 sectors
    [InlineData(0xF4, 512, 2 << 20)] // -12: 2^12 sectors, 2 MiB, the largest cluster
    [InlineData(0xF3, 512, 0)] // -13: 4 MiB, too large
    [InlineData(0x00, 512, 0)]
    [InlineData(0x03, 512, 0)] // not a power of two
    [InlineData(0x01, 4096, 4096)]
    public void DecodeClusterBytes_RawByte_SectorsOrNegativeExponent(byte raw, int bytesPerSector, int expected)
    {
        // Given, When, Then
        Assert.Equal(expected, NtfsBootSector.DecodeClusterBytes(raw, bytesPerSector));
    }

    [Theory]
    [InlineData(-10, 4096, 1024)]
    [InlineData(-12, 65536, 4096)]
    [InlineData(2, 512, 1024)]
    [InlineData(1, 4096, 4096)]
    [InlineData(0, 4096, 0)]
    [InlineData(-8, 4096, 0)] // 256 bytes: smaller than a fixup stride
    [InlineData(-17, 4096, 0)] // 128 KiB: too large
    [InlineData(3, 512, 0)] // 1536 bytes: not a power of two
    public void DecodeRecordBytes_RawByte_ClustersOrNegativeExponent(sbyte raw, int clusterBytes, int expected)
    {
        // Given, When, Then
        Assert.Equal(expected, NtfsBootSector.DecodeRecordBytes(raw, clusterBytes));
    }

    [Fact]
    public void TryParse_MkntfsLikeSector_ReadsGeometry()
    {
        // Given
        var sector = BootSector();

        // When
        var parsed = NtfsBootSector.TryParse(sector, out var bootSector);

        // Then
        Assert.True(parsed);
        Assert.Equal(4096, bootSector!.ClusterBytes);
        Assert.Equal(4095, bootSector.ClusterCount);
        Assert.Equal(1024, bootSector.MftRecordBytes);
        Assert.Equal(4, bootSector.MftLcn);
        Assert.Equal(32767 * 512L, bootSector.TotalBytes);
        Assert.Equal(0x59C54B11595ABE38UL, bootSector.Serial);
    }

    [Theory]
    [InlineData(0x03, (byte)'X')] // OEM id
    [InlineData(0x0E, 1)] // reserved sectors must be 0
    [InlineData(0x10, 2)] // FAT count must be 0
    [InlineData(0x16, 1)] // FAT sectors must be 0
    [InlineData(0x0B, 0)] // bytes per sector 0 (0x0C is cleared below)
    [InlineData(0x1FE, 0)] // signature
    [InlineData(0x37, 0x7F)] // $MFT far past the volume
    public void TryParse_InvalidField_IsRejected(int offset, byte value)
    {
        // Given
        var sector = BootSector();
        sector[offset] = value;
        if (offset == 0x0B)
        {
            sector[0x0C] = 0;
        }

        // When
        var parsed = NtfsBootSector.TryParse(sector, out _);

        // Then
        Assert.False(parsed);
    }
}
