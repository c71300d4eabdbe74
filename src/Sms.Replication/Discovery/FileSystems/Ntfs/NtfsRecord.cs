using System.Buffers.Binary;

namespace Sms.Discovery.FileSystems.Ntfs;

/// <summary>
/// An MFT record ("FILE"), little-endian:
/// <code>
///  0x00 "FILE"   0x04 update sequence offset u16   0x06 update sequence count u16 (1 + record bytes / 512)
///  0x14 first attribute offset u16   0x16 flags u16 (1 = in use)   0x18 bytes in use u32
/// </code>
/// The last two bytes of every 512-byte stride hold the update sequence number on disk; the real bytes are in
/// the update sequence array, and must be put back before the record is read. Attributes follow, each:
/// <code>
///  0x00 type u32 (FFFFFFFF ends)   0x04 length u32   0x08 non-resident u8   0x09 name length u8
///  resident:     0x10 value length u32   0x14 value offset u16
///  non-resident: 0x10 lowest VCN u64   0x18 highest VCN u64   0x20 mapping pairs offset u16
///                0x28 allocated size u64   0x30 data size u64   0x38 initialized size u64
/// </code>
/// </summary>
internal static class NtfsRecord
{
    /// <summary>$ATTRIBUTE_LIST.</summary>
    public const uint AttributeList = 0x20;

    /// <summary>$VOLUME_NAME.</summary>
    public const uint VolumeName = 0x60;

    /// <summary>$DATA.</summary>
    public const uint Data = 0x80;

    private const int FixupStride = 512;
    private const int UsaOffsetOffset = 0x04;
    private const int UsaCountOffset = 0x06;
    private const int FirstAttributeOffset = 0x14;
    private const int FlagsOffset = 0x16;
    private const int BytesInUseOffset = 0x18;
    private const ushort InUseFlag = 0x0001;
    private const uint EndMarker = 0xFFFFFFFF;
    private const int AttributeHeaderSize = 0x10;
    private const int NonResidentHeaderSize = 0x40;

    private static ReadOnlySpan<byte> Magic => "FILE"u8;

    /// <summary>Checks the magic and applies the update sequence array, in place.</summary>
    /// <param name="record">The whole record as read from disk.</param>
    /// <returns><see langword="false"/> when it is not a record, or a stride does not carry the sequence number (a torn write).</returns>
    public static bool TryApplyFixups(Span<byte> record)
    {
        if (record.Length < FixupStride || record.Length % FixupStride != 0 || !record[..4].SequenceEqual(Magic))
        {
            return false;
        }

        int usaOffset = BinaryPrimitives.ReadUInt16LittleEndian(record[UsaOffsetOffset..]);
        int usaCount = BinaryPrimitives.ReadUInt16LittleEndian(record[UsaCountOffset..]);
        if ((usaOffset & 1) != 0 || usaOffset < 0x08 || usaOffset + (usaCount * 2) > FixupStride - 2
            || usaCount - 1 != record.Length / FixupStride)
        {
            return false;
        }

        var usn = BinaryPrimitives.ReadUInt16LittleEndian(record[usaOffset..]);
        for (var i = 1; i < usaCount; i++)
        {
            var tail = record.Slice((i * FixupStride) - 2, 2);
            if (BinaryPrimitives.ReadUInt16LittleEndian(tail) != usn)
            {
                return false;
            }

            record.Slice(usaOffset + (i * 2), 2).CopyTo(tail);
        }

        return true;
    }

    /// <summary>Whether the record is in use.</summary>
    /// <param name="record">A fixed-up record.</param>
    /// <returns>The in-use flag.</returns>
    public static bool IsInUse(ReadOnlySpan<byte> record)
        => (BinaryPrimitives.ReadUInt16LittleEndian(record[FlagsOffset..]) & InUseFlag) != 0;

    /// <summary>Finds the first unnamed attribute of a type.</summary>
    /// <param name="record">A fixed-up record.</param>
    /// <param name="type">The attribute type.</param>
    /// <param name="start">Where the attribute starts in the record.</param>
    /// <param name="length">Its length.</param>
    /// <returns><see langword="false"/> when there is none, or the attribute list is malformed.</returns>
    public static bool TryFindAttribute(ReadOnlySpan<byte> record, uint type, out int start, out int length)
    {
        start = 0;
        length = 0;
        var limit = (int)Math.Min(record.Length, BinaryPrimitives.ReadUInt32LittleEndian(record[BytesInUseOffset..]));
        int at = BinaryPrimitives.ReadUInt16LittleEndian(record[FirstAttributeOffset..]);
        while (at >= AttributeHeaderSize && at + 8 <= limit)
        {
            var attributeType = BinaryPrimitives.ReadUInt32LittleEndian(record[at..]);
            if (attributeType == EndMarker)
            {
                return false;
            }

            var attributeLength = BinaryPrimitives.ReadUInt32LittleEndian(record[(at + 4)..]);
            if (attributeLength < AttributeHeaderSize || attributeLength > (uint)(limit - at))
            {
                return false;
            }

            if (attributeType == type && record[at + 9] == 0)
            {
                start = at;
                length = (int)attributeLength;
                return true;
            }

            at += (int)attributeLength;
        }

        return false;
    }

    /// <summary>Finds a resident attribute's value.</summary>
    /// <param name="attribute">The attribute.</param>
    /// <param name="valueStart">Where the value starts in the attribute.</param>
    /// <param name="valueLength">Its length.</param>
    /// <returns><see langword="false"/> when the attribute is non-resident or its value lies outside it.</returns>
    public static bool TryGetResidentValue(ReadOnlySpan<byte> attribute, out int valueStart, out int valueLength)
    {
        valueStart = 0;
        valueLength = 0;
        if (attribute.Length < AttributeHeaderSize + 8 || attribute[8] != 0)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(attribute[0x10..]);
        int start = BinaryPrimitives.ReadUInt16LittleEndian(attribute[0x14..]);
        if (start > attribute.Length || length > (uint)(attribute.Length - start))
        {
            return false;
        }

        valueStart = start;
        valueLength = (int)length;
        return true;
    }

    /// <summary>Reads a non-resident attribute's header and runs.</summary>
    /// <param name="attribute">The attribute.</param>
    /// <param name="header">The sizes and VCN range.</param>
    /// <param name="runs">Receives the runs.</param>
    /// <returns><see langword="false"/> when the attribute is resident or malformed.</returns>
    public static bool TryReadNonResident(ReadOnlySpan<byte> attribute, out NtfsNonResidentHeader header, List<NtfsDataRun> runs)
    {
        header = default;
        if (attribute.Length < NonResidentHeaderSize || attribute[8] != 1)
        {
            return false;
        }

        var lowest = BinaryPrimitives.ReadInt64LittleEndian(attribute[0x10..]);
        var highest = BinaryPrimitives.ReadInt64LittleEndian(attribute[0x18..]);
        int pairsOffset = BinaryPrimitives.ReadUInt16LittleEndian(attribute[0x20..]);
        var dataSize = BinaryPrimitives.ReadInt64LittleEndian(attribute[0x30..]);
        var initialized = BinaryPrimitives.ReadInt64LittleEndian(attribute[0x38..]);
        if (lowest < 0 || highest < lowest - 1 || dataSize < 0 || initialized < 0
            || pairsOffset < NonResidentHeaderSize || pairsOffset >= attribute.Length
            || !NtfsDataRuns.TryDecode(attribute[pairsOffset..], runs))
        {
            return false;
        }

        header = new NtfsNonResidentHeader(lowest, highest, dataSize, Math.Min(initialized, dataSize));
        return true;
    }
}
