using System.Buffers.Binary;
using Sms.Discovery.Partitions;

namespace Sms.Replication.Tests.Discovery.Partitions;

/// <summary>Encodes MBR and EBR sectors by hand (offsets written out here, not taken from the parser).</summary>
internal static class MbrImage
{
    /// <summary>A 512-byte sector with the disk signature, up to four entries in slot order, and 0x55AA.</summary>
    public static byte[] Sector(uint diskSignature, params MbrEntry?[] slots)
    {
        var sector = new byte[512];
        BinaryPrimitives.WriteUInt32LittleEndian(sector.AsSpan(440), diskSignature);
        for (var i = 0; i < slots.Length; i++)
        {
            if (slots[i] is { } entry)
            {
                WriteEntry(sector, i, entry);
            }
        }

        sector[510] = 0x55;
        sector[511] = 0xAA;
        return sector;
    }

    public static void WriteEntry(Span<byte> sector, int slot, MbrEntry entry)
    {
        var bytes = sector.Slice(446 + (slot * 16), 16);
        bytes.Clear();
        bytes[0] = entry.Status;
        bytes[1] = 0xFE; // CHS "too large": LBA is what counts.
        bytes[2] = 0xFF;
        bytes[3] = 0xFF;
        bytes[4] = entry.Type;
        bytes[5] = 0xFE;
        bytes[6] = 0xFF;
        bytes[7] = 0xFF;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[8..], entry.FirstLba);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[12..], entry.SectorCount);
    }
}
