using System.Buffers.Binary;
using System.Text;

namespace Sms.Replication.Tests.Discovery.Fat;

/// <summary>A synthetic FAT volume: a BPB written by hand, and FATs filled with given entries.</summary>
public sealed record FatVolumeSpec
{
    public int BytesPerSector { get; init; } = 512;

    public int SectorsPerCluster { get; init; } = 1;

    public int ReservedSectors { get; init; } = 1;

    public int FatCount { get; init; } = 2;

    public int RootEntries { get; init; } = 512;

    public long TotalSectors { get; init; }

    public long FatSectors { get; init; }

    /// <summary>Writes a FAT32 BPB (16-bit FAT size zero, FAT size at 0x24).</summary>
    public bool Fat32Bpb { get; init; }

    public int EntryBits { get; init; } = 16;

    public uint VolumeId { get; init; } = 0x1234ABCD;

    public string BootLabel { get; init; } = "NO NAME";

    public ushort ExtendedFlags { get; init; }

    public uint RootCluster { get; init; } = 2;

    /// <summary>The sector of the boot sector alone.</summary>
    public byte[] BootSector()
    {
        var s = new byte[512];
        s[0] = 0xEB;
        s[1] = 0x3C;
        s[2] = 0x90;
        "mkfs.fat"u8.CopyTo(s.AsSpan(3));
        BinaryPrimitives.WriteUInt16LittleEndian(s.AsSpan(0x0B), (ushort)BytesPerSector);
        s[0x0D] = (byte)SectorsPerCluster;
        BinaryPrimitives.WriteUInt16LittleEndian(s.AsSpan(0x0E), (ushort)ReservedSectors);
        s[0x10] = (byte)FatCount;
        BinaryPrimitives.WriteUInt16LittleEndian(s.AsSpan(0x11), (ushort)RootEntries);
        if (TotalSectors < 0x10000)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(s.AsSpan(0x13), (ushort)TotalSectors);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(s.AsSpan(0x20), (uint)TotalSectors);
        }

        s[0x15] = 0xF8;
        int extended;
        if (Fat32Bpb)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(s.AsSpan(0x24), (uint)FatSectors);
            BinaryPrimitives.WriteUInt16LittleEndian(s.AsSpan(0x28), ExtendedFlags);
            BinaryPrimitives.WriteUInt32LittleEndian(s.AsSpan(0x2C), RootCluster);
            extended = 0x42;
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(s.AsSpan(0x16), (ushort)FatSectors);
            extended = 0x26;
        }

        s[extended] = 0x29;
        BinaryPrimitives.WriteUInt32LittleEndian(s.AsSpan(extended + 1), VolumeId);
        Encoding.ASCII.GetBytes(BootLabel.PadRight(11)).CopyTo(s.AsSpan(extended + 5));
        s[510] = 0x55;
        s[511] = 0xAA;
        return s;
    }

    /// <summary>The clusters the layout holds, by the specification's formula.</summary>
    public long ClusterCount
        => (TotalSectors - ReservedSectors - (FatCount * FatSectors) - ((RootEntries * 32L) + BytesPerSector - 1) / BytesPerSector) / SectorsPerCluster;

    /// <summary>Where cluster 2 starts.</summary>
    public long DataOffset
        => (ReservedSectors + (FatCount * FatSectors) + (((RootEntries * 32L) + BytesPerSector - 1) / BytesPerSector)) * BytesPerSector;

    /// <summary>A disk holding the boot sector and every FAT copy filled with <paramref name="entries"/> (index = cluster).</summary>
    public byte[] Volume(IReadOnlyList<uint> entries, int diskBytes, int? onlyFat = null)
    {
        var disk = new byte[diskBytes];
        BootSector().CopyTo(disk, 0);
        var fat = PackFat(entries);
        for (var copy = 0; copy < FatCount; copy++)
        {
            if (onlyFat is { } only && only != copy)
            {
                continue;
            }

            var at = (ReservedSectors + (copy * FatSectors)) * BytesPerSector;
            fat.AsSpan(0, (int)Math.Min(fat.Length, FatSectors * BytesPerSector)).CopyTo(disk.AsSpan((int)at));
        }

        return disk;
    }

    /// <summary>Packs entries the plain way: bit by bit, little-endian.</summary>
    public byte[] PackFat(IReadOnlyList<uint> entries)
    {
        var fat = new byte[((entries.Count * EntryBits) + 7) / 8];
        for (var i = 0; i < entries.Count; i++)
        {
            for (var bit = 0; bit < EntryBits; bit++)
            {
                if (((entries[i] >> bit) & 1) != 0)
                {
                    var position = ((long)i * EntryBits) + bit;
                    fat[position / 8] |= (byte)(1 << (int)(position % 8));
                }
            }
        }

        return fat;
    }
}
