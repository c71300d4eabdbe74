using System.Buffers.Binary;

namespace Sms.Discovery.FileSystems.Fat;

/// <summary>
/// Reads entries of a file allocation table. FAT12 packs two 12-bit entries into three bytes, little-endian:
/// <code>
///  byte:   b0        b1        b2
///  bits:   [E0 7..0] [E1 3..0 | E0 11..8] [E1 11..4]
/// </code>
/// FAT16 entries are 16-bit; FAT32 entries are 32-bit with the top 4 bits reserved (masked off).
/// </summary>
internal static class FatEntries
{
    /// <summary>The FAT32 mask: the low 28 bits are the entry.</summary>
    public const uint Fat32Mask = 0x0FFFFFFF;

    /// <summary>Reads a FAT12 entry.</summary>
    /// <param name="fat">The table (or a part of it starting at an even entry).</param>
    /// <param name="index">The entry index relative to <paramref name="fat"/>.</param>
    /// <returns>The 12-bit value.</returns>
    public static uint Read12(ReadOnlySpan<byte> fat, int index)
    {
        var at = index + (index >> 1);
        uint pair = BinaryPrimitives.ReadUInt16LittleEndian(fat.Slice(at, 2));
        return (index & 1) == 0 ? pair & 0xFFF : pair >> 4;
    }

    /// <summary>Reads an entry of any width.</summary>
    /// <param name="fat">The table (or a part of it starting at an even entry).</param>
    /// <param name="type">The entry width.</param>
    /// <param name="index">The entry index relative to <paramref name="fat"/>.</param>
    /// <returns>The value (28 bits for FAT32).</returns>
    public static uint Read(ReadOnlySpan<byte> fat, FatType type, int index) => type switch
    {
        FatType.Fat12 => Read12(fat, index),
        FatType.Fat16 => BinaryPrimitives.ReadUInt16LittleEndian(fat.Slice(index * 2, 2)),
        _ => BinaryPrimitives.ReadUInt32LittleEndian(fat.Slice(index * 4, 4)) & Fat32Mask,
    };

    /// <summary>The bytes that hold entries <c>[0, count)</c>.</summary>
    /// <param name="type">The entry width.</param>
    /// <param name="count">The number of entries.</param>
    /// <returns>The byte count, rounded up.</returns>
    public static long BytesFor(FatType type, long count) => ((count * (int)type) + 7) / 8;
}
