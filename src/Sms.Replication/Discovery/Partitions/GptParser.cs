using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Sms.Discovery.Partitions;

/// <summary>Parses a GPT partition entry array.</summary>
/// <remarks>
/// <code>
///   0                 16                32            40            48            56                      128
///   +-----------------+-----------------+-------------+-------------+-------------+-----------------------+
///   | type GUID       | unique GUID     | first LBA   | last LBA    | attributes  | name (36 x UTF-16LE)  |
///   +-----------------+-----------------+-------------+-------------+-------------+-----------------------+
/// </code>
/// GUIDs are mixed-endian (the first three fields little-endian), which is the byte order <see cref="Guid(ReadOnlySpan{byte})"/>
/// reads; an all-zero type GUID marks an unused entry. Entries larger than 128 bytes leave the rest reserved.
/// </remarks>
internal static class GptParser
{
    /// <summary>The smallest (and usual) entry size.</summary>
    public const int MinEntrySize = 128;

    /// <summary>Where the name starts in an entry.</summary>
    public const int NameOffset = 56;

    /// <summary>The bytes of the name field.</summary>
    public const int NameLength = 72;

    private const int TypeGuidOffset = 0;
    private const int UniqueGuidOffset = 16;
    private const int FirstLbaOffset = 32;
    private const int LastLbaOffset = 40;
    private const int AttributesOffset = 48;

    /// <summary>Whether the entry array matches the CRC32 its header records.</summary>
    /// <param name="entries">The array: <c>EntryCount × EntrySize</c> bytes.</param>
    /// <param name="header">The header.</param>
    /// <returns><see langword="true"/> when the CRC32 matches.</returns>
    public static bool EntriesCrcMatches(ReadOnlySpan<byte> entries, in GptHeader header)
        => entries.Length >= header.EntriesLength && Crc32.HashToUInt32(entries[..header.EntriesLength]) == header.EntriesCrc32;

    /// <summary>Reads one entry.</summary>
    /// <param name="entry">At least 128 bytes.</param>
    /// <param name="index">Its position in the array.</param>
    /// <returns>The entry, used or not (an unused one has an empty type GUID).</returns>
    public static GptEntry ReadEntry(ReadOnlySpan<byte> entry, int index)
        => new(
            index,
            new Guid(entry.Slice(TypeGuidOffset, 16)),
            new Guid(entry.Slice(UniqueGuidOffset, 16)),
            BinaryPrimitives.ReadUInt64LittleEndian(entry[FirstLbaOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(entry[LastLbaOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(entry[AttributesOffset..]),
            ReadName(entry.Slice(NameOffset, NameLength)));

    /// <summary>Reads the used entries of an array.</summary>
    /// <param name="entries">The array.</param>
    /// <param name="entrySize">The size of one entry (128 × 2^n).</param>
    /// <param name="entryCount">The number of entries.</param>
    /// <returns>The entries with a non-empty type GUID, in array order.</returns>
    public static List<GptEntry> ReadUsedEntries(ReadOnlySpan<byte> entries, int entrySize, int entryCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(entrySize, MinEntrySize);
        var count = Math.Min(entryCount, entries.Length / entrySize);
        var used = new List<GptEntry>();
        for (var i = 0; i < count; i++)
        {
            var bytes = entries.Slice(i * entrySize, MinEntrySize);
            if (!bytes[..16].ContainsAnyExcept((byte)0))
            {
                continue;
            }

            used.Add(ReadEntry(bytes, i));
        }

        return used;
    }

    /// <summary>Decodes a UTF-16LE name up to its first NUL.</summary>
    /// <param name="field">The 72-byte name field.</param>
    /// <returns>The name; empty when the field starts with NUL.</returns>
    public static string ReadName(ReadOnlySpan<byte> field)
    {
        var length = 0;
        while (length + 1 < field.Length && BinaryPrimitives.ReadUInt16LittleEndian(field[length..]) != 0)
        {
            length += 2;
        }

        return Encoding.Unicode.GetString(field[..length]);
    }
}
