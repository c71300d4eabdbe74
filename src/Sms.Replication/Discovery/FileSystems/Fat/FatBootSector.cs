using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace Sms.Discovery.FileSystems.Fat;

/// <summary>
/// The BIOS parameter block of a FAT12/16/32 volume, and the layout it implies. Little-endian throughout:
/// <code>
///  0x00 jump (EB xx 90 | E9 xx xx)   0x03 OEM name[8]
///  0x0B bytes/sector u16             0x0D sectors/cluster u8      0x0E reserved sectors u16
///  0x10 FAT count u8                 0x11 root entries u16        0x13 total sectors u16
///  0x15 media u8                     0x16 FAT size (16) u16       0x20 total sectors u32
///  FAT12/16: 0x26 ext. signature u8  0x27 volume id u32           0x2B label[11]
///  FAT32:    0x24 FAT size (32) u32  0x28 ext. flags u16          0x2C root cluster u32
///            0x42 ext. signature u8  0x43 volume id u32           0x47 label[11]
///  0x1FE 55 AA
/// </code>
/// The FAT type is decided by the cluster count, as the specification defines (below 4085: FAT12; below 65525:
/// FAT16; else FAT32). A BPB whose 16-bit FAT size is zero can only be FAT32 and is read as such whatever its
/// cluster count (mkfs.fat makes such small FAT32 volumes, and Linux and fsck.fat read them as FAT32).
/// </summary>
internal sealed record FatBootSector
{
    /// <summary>The bytes of the boot sector this type reads.</summary>
    public const int Size = 512;

    private const int BytesPerSectorOffset = 0x0B;
    private const int SectorsPerClusterOffset = 0x0D;
    private const int ReservedSectorsOffset = 0x0E;
    private const int FatCountOffset = 0x10;
    private const int RootEntriesOffset = 0x11;
    private const int TotalSectors16Offset = 0x13;
    private const int MediaOffset = 0x15;
    private const int FatSize16Offset = 0x16;
    private const int TotalSectors32Offset = 0x20;
    private const int Fat16ExtendedOffset = 0x26;
    private const int FatSize32Offset = 0x24;
    private const int ExtendedFlagsOffset = 0x28;
    private const int RootClusterOffset = 0x2C;
    private const int Fat32ExtendedOffset = 0x42;
    private const int SignatureOffset = 0x1FE;
    private const int LabelLength = 11;
    private const int DirectoryEntrySize = 32;
    private const int MaxFat12Clusters = 4084;
    private const int MaxFat16Clusters = 65524;
    private const uint MaxFat32Clusters = 0x0FFFFFF5;

    /// <summary>The sector size.</summary>
    public int BytesPerSector { get; init; }

    /// <summary>The sectors in a cluster.</summary>
    public int SectorsPerCluster { get; init; }

    /// <summary>The sectors before the first FAT.</summary>
    public int ReservedSectors { get; init; }

    /// <summary>The number of FAT copies.</summary>
    public int FatCount { get; init; }

    /// <summary>The entries of the fixed root directory (0 on FAT32).</summary>
    public int RootEntries { get; init; }

    /// <summary>The sectors of the volume.</summary>
    public long TotalSectors { get; init; }

    /// <summary>The sectors of one FAT.</summary>
    public long FatSectors { get; init; }

    /// <summary>The entry width.</summary>
    public FatType Type { get; init; }

    /// <summary>The data clusters (numbered from 2).</summary>
    public long ClusterCount { get; init; }

    /// <summary>The FAT32 root directory's first cluster; 0 on FAT12/16.</summary>
    public uint RootCluster { get; init; }

    /// <summary>The FAT copy that is read: the active one when FAT32 mirroring is off, else the first.</summary>
    public int ActiveFat { get; init; }

    /// <summary>The volume serial number, when the extended BPB holds one.</summary>
    public uint? VolumeId { get; init; }

    /// <summary>The BPB's volume label, without padding; <see langword="null"/> when absent or "NO NAME".</summary>
    public string? Label { get; init; }

    /// <summary>The bytes of a cluster.</summary>
    public int ClusterBytes => BytesPerSector * SectorsPerCluster;

    /// <summary>The sectors of the fixed root directory, rounded up.</summary>
    public long RootDirectorySectors => ((RootEntries * (long)DirectoryEntrySize) + BytesPerSector - 1) / BytesPerSector;

    /// <summary>The first sector of the fixed root directory (FAT12/16).</summary>
    public long RootDirectorySector => ReservedSectors + (FatCount * FatSectors);

    /// <summary>The first sector of cluster 2.</summary>
    public long FirstDataSector => RootDirectorySector + RootDirectorySectors;

    /// <summary>The bytes of the fixed area: reserved sectors, every FAT and the fixed root directory.</summary>
    public long FixedAreaBytes => FirstDataSector * BytesPerSector;

    /// <summary>The bytes of the volume.</summary>
    public long TotalBytes => TotalSectors * BytesPerSector;

    /// <summary>Where the FAT that is read starts, relative to the volume.</summary>
    public long FatOffset => (ReservedSectors + (ActiveFat * FatSectors)) * BytesPerSector;

    /// <summary>The bytes of one FAT.</summary>
    public long FatBytes => FatSectors * BytesPerSector;

    /// <summary>Where a data cluster starts, relative to the volume.</summary>
    /// <param name="cluster">A cluster number, 2 or more.</param>
    /// <returns>The byte offset.</returns>
    public long ClusterOffset(long cluster) => FixedAreaBytes + ((cluster - 2) * ClusterBytes);

    /// <summary>Parses a boot sector.</summary>
    /// <param name="sector">At least <see cref="Size"/> bytes.</param>
    /// <param name="bootSector">The BPB, when it is a sane FAT one.</param>
    /// <returns><see langword="false"/> when the bytes are not a FAT boot sector.</returns>
    public static bool TryParse(ReadOnlySpan<byte> sector, [NotNullWhen(true)] out FatBootSector? bootSector)
    {
        bootSector = null;
        if (sector.Length < Size
            || sector[SignatureOffset] != 0x55 || sector[SignatureOffset + 1] != 0xAA
            || (sector[0] != 0xEB && sector[0] != 0xE9))
        {
            return false;
        }

        int bytesPerSector = BinaryPrimitives.ReadUInt16LittleEndian(sector[BytesPerSectorOffset..]);
        int sectorsPerCluster = sector[SectorsPerClusterOffset];
        int reserved = BinaryPrimitives.ReadUInt16LittleEndian(sector[ReservedSectorsOffset..]);
        int fatCount = sector[FatCountOffset];
        int rootEntries = BinaryPrimitives.ReadUInt16LittleEndian(sector[RootEntriesOffset..]);
        long totalSectors = BinaryPrimitives.ReadUInt16LittleEndian(sector[TotalSectors16Offset..]);
        var media = sector[MediaOffset];
        long fatSize16 = BinaryPrimitives.ReadUInt16LittleEndian(sector[FatSize16Offset..]);
        if (totalSectors == 0)
        {
            totalSectors = BinaryPrimitives.ReadUInt32LittleEndian(sector[TotalSectors32Offset..]);
        }

        if (bytesPerSector is not (512 or 1024 or 2048 or 4096)
            || sectorsPerCluster == 0 || !BitOperations.IsPow2(sectorsPerCluster)
            || reserved == 0 || fatCount == 0 || totalSectors == 0
            || (media != 0xF0 && media < 0xF8))
        {
            return false;
        }

        var isFat32Bpb = fatSize16 == 0;
        var fatSectors = isFat32Bpb ? BinaryPrimitives.ReadUInt32LittleEndian(sector[FatSize32Offset..]) : fatSize16;
        if (fatSectors == 0 || (isFat32Bpb && rootEntries != 0))
        {
            return false;
        }

        var rootSectors = ((rootEntries * (long)DirectoryEntrySize) + bytesPerSector - 1) / bytesPerSector;
        var dataSectors = totalSectors - reserved - (fatCount * fatSectors) - rootSectors;
        var clusters = dataSectors / sectorsPerCluster;
        if (clusters < 1)
        {
            return false;
        }

        FatType type;
        if (isFat32Bpb)
        {
            type = FatType.Fat32;
        }
        else if (clusters <= MaxFat12Clusters)
        {
            type = FatType.Fat12;
        }
        else if (clusters <= MaxFat16Clusters)
        {
            type = FatType.Fat16;
        }
        else
        {
            // Too many clusters for a 16-bit FAT, yet a FAT12/16 BPB: not a conforming volume.
            return false;
        }

        // The FAT may be shorter than the cluster count says (it should not be): only what it maps counts.
        var fatEntries = fatSectors * bytesPerSector * 8 / (int)type;
        clusters = Math.Min(clusters, Math.Min(fatEntries - 2, type == FatType.Fat32 ? MaxFat32Clusters : MaxFat16Clusters));
        if (clusters < 1)
        {
            return false;
        }

        var extended = isFat32Bpb ? Fat32ExtendedOffset : Fat16ExtendedOffset;
        var activeFat = 0;
        uint rootCluster = 0;
        if (isFat32Bpb)
        {
            rootCluster = BinaryPrimitives.ReadUInt32LittleEndian(sector[RootClusterOffset..]) & 0x0FFFFFFF;
            var flags = BinaryPrimitives.ReadUInt16LittleEndian(sector[ExtendedFlagsOffset..]);
            if ((flags & 0x80) != 0 && (flags & 0x0F) < fatCount)
            {
                activeFat = flags & 0x0F;
            }
        }

        var signature = sector[extended];
        uint? volumeId = signature is 0x28 or 0x29 ? BinaryPrimitives.ReadUInt32LittleEndian(sector[(extended + 1)..]) : null;
        var label = signature == 0x29 ? FatLabels.Decode(sector.Slice(extended + 5, LabelLength)) : null;
        bootSector = new FatBootSector
        {
            BytesPerSector = bytesPerSector,
            SectorsPerCluster = sectorsPerCluster,
            ReservedSectors = reserved,
            FatCount = fatCount,
            RootEntries = rootEntries,
            TotalSectors = totalSectors,
            FatSectors = fatSectors,
            Type = type,
            ClusterCount = clusters,
            RootCluster = rootCluster,
            ActiveFat = activeFat,
            VolumeId = volumeId,
            Label = label,
        };
        return true;
    }
}
