using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Sms.Replication.Tests.Discovery.Partitions;

/// <summary>One partition to put in a hand-made GPT.</summary>
public sealed record GptPartitionSpec(int Index, Guid Type, Guid Unique, ulong FirstLba, ulong LastLba, ulong Attributes, string Name);

/// <summary>A hand-made GPT: the standard layout (primary at LBA 1, entries at LBA 2, backup at the end).</summary>
public sealed record GptLayout(int LbaSize, long DiskSectors, int EntryCount, int EntrySize, Guid DiskGuid, IReadOnlyList<GptPartitionSpec> Partitions)
{
    public long EntriesSectors => (((long)EntryCount * EntrySize) + LbaSize - 1) / LbaSize;

    public long FirstUsableLba => 2 + EntriesSectors;

    public long BackupHeaderLba => DiskSectors - 1;

    public long BackupEntriesLba => BackupHeaderLba - EntriesSectors;

    public long LastUsableLba => BackupEntriesLba - 1;

    public long DiskLength => DiskSectors * LbaSize;

    /// <summary>The sectors between the last usable LBA and the backup header, for a layout with partitions ending at <paramref name="end"/>.</summary>
    public static long DiskSectorsFor(int lbaSize, int entryCount, int entrySize, long lastUsableLba)
        => lastUsableLba + 1 + ((((long)entryCount * entrySize) + lbaSize - 1) / lbaSize) + 1;

    public override string ToString()
        => $"GPT {LbaSize}-byte LBAs, {DiskSectors} sectors, {EntryCount}x{EntrySize} entries, {Partitions.Count} partitions: "
           + string.Join("; ", Partitions.Select(p => $"#{p.Index + 1} {p.FirstLba}-{p.LastLba} '{p.Name}'"));
}

/// <summary>Encodes GPT headers and entry arrays by hand (offsets written out here, not taken from the parser).</summary>
internal static class GptImage
{
    public static byte[] Entries(GptLayout layout)
    {
        var array = new byte[layout.EntryCount * layout.EntrySize];
        foreach (var partition in layout.Partitions)
        {
            var entry = array.AsSpan(partition.Index * layout.EntrySize, 128);
            partition.Type.TryWriteBytes(entry[..16]);
            partition.Unique.TryWriteBytes(entry[16..32]);
            BinaryPrimitives.WriteUInt64LittleEndian(entry[32..], partition.FirstLba);
            BinaryPrimitives.WriteUInt64LittleEndian(entry[40..], partition.LastLba);
            BinaryPrimitives.WriteUInt64LittleEndian(entry[48..], partition.Attributes);
            Encoding.Unicode.GetBytes(partition.Name, entry[56..128]);
        }

        return array;
    }

    /// <summary>A header sector (a whole logical sector), its CRC computed.</summary>
    public static byte[] Header(GptLayout layout, bool primary, uint entriesCrc)
    {
        var sector = new byte[layout.LbaSize];
        var header = sector.AsSpan();
        "EFI PART"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], 0x00010000);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 92);
        BinaryPrimitives.WriteUInt64LittleEndian(header[24..], (ulong)(primary ? 1 : layout.BackupHeaderLba));
        BinaryPrimitives.WriteUInt64LittleEndian(header[32..], (ulong)(primary ? layout.BackupHeaderLba : 1));
        BinaryPrimitives.WriteUInt64LittleEndian(header[40..], (ulong)layout.FirstUsableLba);
        BinaryPrimitives.WriteUInt64LittleEndian(header[48..], (ulong)layout.LastUsableLba);
        layout.DiskGuid.TryWriteBytes(header[56..72]);
        BinaryPrimitives.WriteUInt64LittleEndian(header[72..], (ulong)(primary ? 2 : layout.BackupEntriesLba));
        BinaryPrimitives.WriteUInt32LittleEndian(header[80..], (uint)layout.EntryCount);
        BinaryPrimitives.WriteUInt32LittleEndian(header[84..], (uint)layout.EntrySize);
        BinaryPrimitives.WriteUInt32LittleEndian(header[88..], entriesCrc);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], Crc32.HashToUInt32(header[..92]));
        return sector;
    }

    public static byte[] ProtectiveMbr(long diskSectors)
        => MbrImage.Sector(0, new Sms.Discovery.Partitions.MbrEntry(0, 0xee, 1, (uint)Math.Min(diskSectors - 1, uint.MaxValue)));

    /// <summary>A sparse disk holding the protective MBR, both headers and both entry arrays.</summary>
    public static MemoryDisk Disk(GptLayout layout)
    {
        var disk = new MemoryDisk(layout.DiskLength, layout.LbaSize);
        var entries = Entries(layout);
        var crc = Crc32.HashToUInt32(entries);
        disk.Write(0, ProtectiveMbr(layout.DiskSectors));
        disk.Write(layout.LbaSize, Header(layout, primary: true, crc));
        disk.Write(2L * layout.LbaSize, entries);
        disk.Write(layout.BackupEntriesLba * layout.LbaSize, entries);
        disk.Write(layout.BackupHeaderLba * layout.LbaSize, Header(layout, primary: false, crc));
        return disk;
    }
}
