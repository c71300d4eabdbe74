using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace Sms.Discovery.FileSystems.Ntfs;

/// <summary>
/// The NTFS boot sector. Little-endian:
/// <code>
///  0x03 OEM id "NTFS    "           0x0B bytes/sector u16          0x0D sectors/cluster u8 (above 0x80: 2^-(s8))
///  0x0E reserved sectors u16 = 0    0x10 FATs u8 = 0               0x11 root entries u16 = 0
///  0x13 sectors u16 = 0             0x16 FAT sectors u16 = 0       0x20 large sectors u32 = 0
///  0x28 total sectors u64           0x30 $MFT LCN u64              0x38 $MFTMirr LCN u64
///  0x40 clusters/MFT record s8 (negative: 2^-n bytes)             0x48 serial number u64
///  0x1FE 55 AA
/// </code>
/// The volume's clusters are <c>total sectors / sectors per cluster</c>; the backup boot sector lies in the sector
/// right after the declared ones (the partition's last), outside every cluster.
/// </summary>
internal sealed record NtfsBootSector
{
    /// <summary>The bytes of the boot sector this type reads.</summary>
    public const int Size = 512;

    private const int BytesPerSectorOffset = 0x0B;
    private const int SectorsPerClusterOffset = 0x0D;
    private const int ReservedSectorsOffset = 0x0E;
    private const int FatCountOffset = 0x10;
    private const int RootEntriesOffset = 0x11;
    private const int Sectors16Offset = 0x13;
    private const int FatSectorsOffset = 0x16;
    private const int LargeSectorsOffset = 0x20;
    private const int TotalSectorsOffset = 0x28;
    private const int MftLcnOffset = 0x30;
    private const int MftMirrorLcnOffset = 0x38;
    private const int ClustersPerRecordOffset = 0x40;
    private const int SerialOffset = 0x48;
    private const int SignatureOffset = 0x1FE;
    private const int MaxClusterBytes = 2 << 20;
    private const long MaxTotalSectors = 1L << 48;

    private static ReadOnlySpan<byte> OemId => "NTFS    "u8;

    /// <summary>The sector size.</summary>
    public int BytesPerSector { get; init; }

    /// <summary>The cluster size.</summary>
    public int ClusterBytes { get; init; }

    /// <summary>The sectors the boot sector declares (the partition less the backup boot sector).</summary>
    public long TotalSectors { get; init; }

    /// <summary>The whole clusters of the volume.</summary>
    public long ClusterCount { get; init; }

    /// <summary>The first cluster of $MFT.</summary>
    public long MftLcn { get; init; }

    /// <summary>The first cluster of $MFTMirr.</summary>
    public long MftMirrorLcn { get; init; }

    /// <summary>The bytes of an MFT record.</summary>
    public int MftRecordBytes { get; init; }

    /// <summary>The volume serial number.</summary>
    public ulong Serial { get; init; }

    /// <summary>The bytes the boot sector declares.</summary>
    public long TotalBytes => TotalSectors * BytesPerSector;

    /// <summary>Parses a boot sector.</summary>
    /// <param name="sector">At least <see cref="Size"/> bytes.</param>
    /// <param name="bootSector">The boot sector, when it is a sane NTFS one.</param>
    /// <returns><see langword="false"/> when the bytes are not an NTFS boot sector.</returns>
    public static bool TryParse(ReadOnlySpan<byte> sector, [NotNullWhen(true)] out NtfsBootSector? bootSector)
    {
        bootSector = null;
        if (sector.Length < Size
            || !sector.Slice(3, 8).SequenceEqual(OemId)
            || sector[SignatureOffset] != 0x55 || sector[SignatureOffset + 1] != 0xAA
            || BinaryPrimitives.ReadUInt16LittleEndian(sector[ReservedSectorsOffset..]) != 0
            || sector[FatCountOffset] != 0
            || BinaryPrimitives.ReadUInt16LittleEndian(sector[RootEntriesOffset..]) != 0
            || BinaryPrimitives.ReadUInt16LittleEndian(sector[Sectors16Offset..]) != 0
            || BinaryPrimitives.ReadUInt16LittleEndian(sector[FatSectorsOffset..]) != 0
            || BinaryPrimitives.ReadUInt32LittleEndian(sector[LargeSectorsOffset..]) != 0)
        {
            return false;
        }

        int bytesPerSector = BinaryPrimitives.ReadUInt16LittleEndian(sector[BytesPerSectorOffset..]);
        if (bytesPerSector is < 256 or > 4096 || !BitOperations.IsPow2(bytesPerSector))
        {
            return false;
        }

        var clusterBytes = DecodeClusterBytes(sector[SectorsPerClusterOffset], bytesPerSector);
        var recordBytes = DecodeRecordBytes((sbyte)sector[ClustersPerRecordOffset], clusterBytes);
        var totalSectors = BinaryPrimitives.ReadUInt64LittleEndian(sector[TotalSectorsOffset..]);
        var mftLcn = BinaryPrimitives.ReadUInt64LittleEndian(sector[MftLcnOffset..]);
        var mirrorLcn = BinaryPrimitives.ReadUInt64LittleEndian(sector[MftMirrorLcnOffset..]);
        if (clusterBytes == 0 || recordBytes == 0 || totalSectors == 0 || totalSectors > MaxTotalSectors)
        {
            return false;
        }

        var clusters = (long)totalSectors / (clusterBytes / bytesPerSector);
        if (clusters == 0 || mftLcn >= (ulong)clusters || mirrorLcn >= (ulong)clusters)
        {
            return false;
        }

        bootSector = new NtfsBootSector
        {
            BytesPerSector = bytesPerSector,
            ClusterBytes = clusterBytes,
            TotalSectors = (long)totalSectors,
            ClusterCount = clusters,
            MftLcn = (long)mftLcn,
            MftMirrorLcn = (long)mirrorLcn,
            MftRecordBytes = recordBytes,
            Serial = BinaryPrimitives.ReadUInt64LittleEndian(sector[SerialOffset..]),
        };
        return true;
    }

    /// <summary>Decodes the sectors-per-cluster byte: a count up to 0x80, else a negative power of two.</summary>
    /// <param name="raw">The byte at 0x0D.</param>
    /// <param name="bytesPerSector">The sector size.</param>
    /// <returns>The cluster size in bytes, or 0 when invalid.</returns>
    internal static int DecodeClusterBytes(byte raw, int bytesPerSector)
    {
        long sectors;
        if (raw <= 0x80)
        {
            sectors = raw;
        }
        else
        {
            var shift = 256 - raw;
            sectors = shift > 20 ? 0 : 1L << shift;
        }

        var bytes = sectors * bytesPerSector;
        return sectors == 0 || !BitOperations.IsPow2(sectors) || bytes > MaxClusterBytes ? 0 : (int)bytes;
    }

    /// <summary>Decodes the clusters-per-record byte: a cluster count when positive, else <c>2^-n</c> bytes.</summary>
    /// <param name="raw">The byte at 0x40, signed.</param>
    /// <param name="clusterBytes">The cluster size.</param>
    /// <returns>The record size in bytes, or 0 when invalid (not a power of two in 512..64 KiB).</returns>
    internal static int DecodeRecordBytes(sbyte raw, int clusterBytes)
    {
        long bytes = raw switch
        {
            > 0 => (long)raw * clusterBytes,
            < -30 or 0 => 0,
            _ => 1L << -raw,
        };
        return bytes is >= 512 and <= 65536 && BitOperations.IsPow2(bytes) ? (int)bytes : 0;
    }
}
