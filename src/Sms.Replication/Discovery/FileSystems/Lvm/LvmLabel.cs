using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Sms.Discovery.FileSystems.Lvm;

/// <summary>
/// The LVM2 label, in one of the first four 512-byte sectors, and the PV header it points to. Little-endian:
/// <code>
///  label:     0x00 "LABELONE"   0x08 sector_xl u64 (its own sector)   0x10 crc_xl u32 (0x14..0x200)
///             0x14 offset_xl u32 (PV header, from the label's start)   0x18 type "LVM2 001"
///  PV header: 0x00 pv_uuid[32]   0x20 device_size_xl u64
/// </code>
/// The CRC is LVM's: the reflected CRC-32 polynomial, seeded with 0xF597A6CF, no final XOR.
/// </summary>
internal sealed record LvmLabel
{
    /// <summary>The sector size labels are laid out in.</summary>
    public const int SectorSize = 512;

    /// <summary>The sectors scanned for a label.</summary>
    public const int ScanSectors = 4;

    private const int SectorOffset = 0x08;
    private const int CrcOffset = 0x10;
    private const int PvHeaderOffset = 0x14;
    private const int TypeOffset = 0x18;
    private const int UuidLength = 32;
    private const uint CrcSeed = 0xF597A6CF;

    private static ReadOnlySpan<byte> LabelId => "LABELONE"u8;

    private static ReadOnlySpan<byte> LvmType => "LVM2 001"u8;

    private static ReadOnlySpan<uint> CrcNibbles =>
    [
        0x00000000, 0x1DB71064, 0x3B6E20C8, 0x26D930AC, 0x76DC4190, 0x6B6B51F4, 0x4DB26158, 0x5005713C,
        0xEDB88320, 0xF00F9344, 0xD6D6A3E8, 0xCB61B38C, 0x9B64C2B0, 0x86D3D2D4, 0xA00AE278, 0xBDBDF21C,
    ];

    /// <summary>The sector holding the label.</summary>
    public int Sector { get; init; }

    /// <summary>The PV UUID, undashed (32 characters).</summary>
    public required string Uuid { get; init; }

    /// <summary>The device size the PV header records, or 0.</summary>
    public long DeviceSize { get; init; }

    /// <summary>The PV UUID dashed 6-4-4-4-4-4-6, as pvdisplay and pvs print it.</summary>
    public string DashedUuid => string.Join('-', Uuid[..6], Uuid[6..10], Uuid[10..14], Uuid[14..18], Uuid[18..22], Uuid[22..26], Uuid[26..]);

    /// <summary>Finds the label in the first sectors.</summary>
    /// <param name="start">The first <see cref="ScanSectors"/> sectors (or fewer).</param>
    /// <param name="label">The label, when found.</param>
    /// <returns><see langword="false"/> when no sector holds a valid LVM2 label.</returns>
    public static bool TryFind(ReadOnlySpan<byte> start, [NotNullWhen(true)] out LvmLabel? label)
    {
        label = null;
        for (var sector = 0; sector < ScanSectors && (sector + 1) * SectorSize <= start.Length; sector++)
        {
            if (TryParse(start.Slice(sector * SectorSize, SectorSize), sector, out label))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>LVM's label checksum.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The CRC.</returns>
    internal static uint Crc(ReadOnlySpan<byte> data)
    {
        var crc = CrcSeed;
        var table = CrcNibbles;
        foreach (var b in data)
        {
            crc ^= b;
            crc = (crc >> 4) ^ table[(int)(crc & 0xF)];
            crc = (crc >> 4) ^ table[(int)(crc & 0xF)];
        }

        return crc;
    }

    private static bool TryParse(ReadOnlySpan<byte> sector, int index, [NotNullWhen(true)] out LvmLabel? label)
    {
        label = null;
        if (!sector[..8].SequenceEqual(LabelId)
            || !sector.Slice(TypeOffset, 8).SequenceEqual(LvmType)
            || BinaryPrimitives.ReadUInt64LittleEndian(sector[SectorOffset..]) != (ulong)index
            || BinaryPrimitives.ReadUInt32LittleEndian(sector[CrcOffset..]) != Crc(sector[PvHeaderOffset..]))
        {
            return false;
        }

        var pvHeader = BinaryPrimitives.ReadUInt32LittleEndian(sector[PvHeaderOffset..]);
        if (pvHeader < TypeOffset + 8 || pvHeader > SectorSize - UuidLength - 8)
        {
            return false;
        }

        var uuid = sector.Slice((int)pvHeader, UuidLength);
        foreach (var c in uuid)
        {
            if (!char.IsAsciiLetterOrDigit((char)c) && c != (byte)'!' && c != (byte)'#')
            {
                return false;
            }
        }

        var size = BinaryPrimitives.ReadUInt64LittleEndian(sector[((int)pvHeader + UuidLength)..]);
        label = new LvmLabel
        {
            Sector = index,
            Uuid = Encoding.ASCII.GetString(uuid),
            DeviceSize = size > long.MaxValue ? 0 : (long)size,
        };
        return true;
    }
}
