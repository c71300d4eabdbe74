using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Text;

namespace Sms.Discovery.FileSystems.Btrfs;

/// <summary>
/// The primary btrfs superblock, 4 KiB at 64 KiB into the device. Little-endian:
/// <code>
///  0x00 checksum[32]   0x20 fsid[16]   0x30 bytenr u64 (= 0x10000)   0x40 magic "_BHRfS_M"
///  0x70 total_bytes u64   0x78 bytes_used u64   0x90 sectorsize u32   0x94 nodesize u32
///  0xC4 csum_type u16 (0 = crc32c over 0x20..0x1000, stored in the first 4 bytes)   0x12B label[256]
/// </code>
/// </summary>
internal sealed record BtrfsSuperblock
{
    /// <summary>Where the primary superblock lies.</summary>
    public const long Offset = 0x10000;

    /// <summary>The superblock's size.</summary>
    public const int Size = 0x1000;

    private const int FsidOffset = 0x20;
    private const int BytenrOffset = 0x30;
    private const int MagicOffset = 0x40;
    private const int TotalBytesOffset = 0x70;
    private const int BytesUsedOffset = 0x78;
    private const int SectorSizeOffset = 0x90;
    private const int ChecksumTypeOffset = 0xC4;
    private const int LabelOffset = 0x12B;
    private const int LabelSize = 256;
    private const int ChecksummedFrom = 0x20;
    private const ushort Crc32CType = 0;

    private static ReadOnlySpan<byte> Magic => "_BHRfS_M"u8;

    /// <summary>The file system UUID, as blkid prints it.</summary>
    public required string Fsid { get; init; }

    /// <summary>The label, or <see langword="null"/> when blank.</summary>
    public string? Label { get; init; }

    /// <summary>The sector size (the allocation unit).</summary>
    public int SectorSize { get; init; }

    /// <summary>The file system's size over all its devices.</summary>
    public long TotalBytes { get; init; }

    /// <summary>The bytes the file system reports used.</summary>
    public long BytesUsed { get; init; }

    /// <summary>Parses a superblock; a crc32c checksum, when that is the type, must match.</summary>
    /// <param name="block">At least <see cref="Size"/> bytes.</param>
    /// <param name="superblock">The superblock, when valid.</param>
    /// <returns><see langword="false"/> when the bytes are not a btrfs superblock.</returns>
    public static bool TryParse(ReadOnlySpan<byte> block, [NotNullWhen(true)] out BtrfsSuperblock? superblock)
    {
        superblock = null;
        if (block.Length < Size
            || !block.Slice(MagicOffset, 8).SequenceEqual(Magic)
            || BinaryPrimitives.ReadUInt64LittleEndian(block[BytenrOffset..]) != (ulong)Offset)
        {
            return false;
        }

        if (BinaryPrimitives.ReadUInt16LittleEndian(block[ChecksumTypeOffset..]) == Crc32CType
            && Crc32C(block[ChecksummedFrom..Size]) != BinaryPrimitives.ReadUInt32LittleEndian(block))
        {
            return false;
        }

        var sectorSize = BinaryPrimitives.ReadUInt32LittleEndian(block[SectorSizeOffset..]);
        var totalBytes = BinaryPrimitives.ReadUInt64LittleEndian(block[TotalBytesOffset..]);
        var bytesUsed = BinaryPrimitives.ReadUInt64LittleEndian(block[BytesUsedOffset..]);
        if (sectorSize is < 512 or > 65536 || !BitOperations.IsPow2(sectorSize) || totalBytes > long.MaxValue || bytesUsed > long.MaxValue)
        {
            return false;
        }

        var label = block.Slice(LabelOffset, LabelSize);
        var end = label.IndexOf((byte)0);
        label = end < 0 ? label : label[..end];
        superblock = new BtrfsSuperblock
        {
            Fsid = new Guid(block.Slice(FsidOffset, 16), bigEndian: true).ToString(),
            Label = label.IsEmpty ? null : Encoding.UTF8.GetString(label),
            SectorSize = (int)sectorSize,
            TotalBytes = (long)totalBytes,
            BytesUsed = (long)bytesUsed,
        };
        return true;
    }

    /// <summary>CRC-32C (Castagnoli) as btrfs stores it: seed and final XOR of all ones.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The checksum.</returns>
    internal static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        var at = 0;
        for (; at + 8 <= data.Length; at += 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data[at..]));
        }

        for (; at < data.Length; at++)
        {
            crc = BitOperations.Crc32C(crc, data[at]);
        }

        return ~crc;
    }
}
