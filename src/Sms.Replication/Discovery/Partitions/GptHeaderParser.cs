using System.Buffers.Binary;
using System.IO.Hashing;

namespace Sms.Discovery.Partitions;

/// <summary>Parses and checks a GPT header: signature, size, CRC32, position and geometry.</summary>
/// <remarks>
/// <code>
///   0            8          12         16         20         24             32              40
///   +------------+----------+----------+----------+----------+--------------+---------------+
///   | "EFI PART" | revision | hdr size | hdr CRC  | reserved | my LBA       | alternate LBA |
///   +------------+----------+----------+----------+----------+--------------+---------------+
///   40               48               56                     72             80        84       88        92
///   +----------------+----------------+----------------------+--------------+---------+--------+---------+
///   | first usable   | last usable    | disk GUID            | entries LBA  | count   | size   | arr CRC |
///   +----------------+----------------+----------------------+--------------+---------+--------+---------+
/// </code>
/// All integers little-endian; the header CRC32 covers <c>hdr size</c> bytes with the CRC field zeroed.
/// </remarks>
internal static class GptHeaderParser
{
    /// <summary>The smallest header size (the fields above).</summary>
    public const int MinHeaderSize = 92;

    /// <summary>The largest entry array the reader accepts (64 Ki entries of 128 bytes).</summary>
    public const int MaxEntriesLength = 8 << 20;

    /// <summary>The largest entry size the reader accepts.</summary>
    public const int MaxEntrySize = 4096;

    /// <summary>Where the header CRC32 is.</summary>
    public const int HeaderCrcOffset = 16;

    /// <summary>The header signature.</summary>
    public static ReadOnlySpan<byte> Signature => "EFI PART"u8;

    private const int RevisionOffset = 8;
    private const int HeaderSizeOffset = 12;
    private const int MyLbaOffset = 24;
    private const int AlternateLbaOffset = 32;
    private const int FirstUsableLbaOffset = 40;
    private const int LastUsableLbaOffset = 48;
    private const int DiskGuidOffset = 56;
    private const int EntriesLbaOffset = 72;
    private const int EntryCountOffset = 80;
    private const int EntrySizeOffset = 84;
    private const int EntriesCrcOffset = 88;

    /// <summary>Parses the header in <paramref name="sector"/> and checks it.</summary>
    /// <param name="sector">The whole logical sector the header was read from.</param>
    /// <param name="expectedLba">Where it was read from (1 for the primary).</param>
    /// <param name="diskSectors">The number of logical sectors on the disk.</param>
    /// <param name="header">The header; meaningful only when the result is <see cref="GptProblem.None"/>.</param>
    /// <returns><see cref="GptProblem.None"/>, or the first problem found.</returns>
    public static GptProblem TryParse(ReadOnlySpan<byte> sector, long expectedLba, long diskSectors, out GptHeader header)
    {
        header = default;
        if (sector.Length < MinHeaderSize || !sector.StartsWith(Signature))
        {
            return GptProblem.NoSignature;
        }

        var headerSize = BinaryPrimitives.ReadUInt32LittleEndian(sector[HeaderSizeOffset..]);
        if (headerSize < MinHeaderSize || headerSize > (uint)sector.Length)
        {
            return GptProblem.BadHeaderSize;
        }

        var storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(sector[HeaderCrcOffset..]);
        if (ComputeHeaderCrc(sector[..(int)headerSize]) != storedCrc)
        {
            return GptProblem.HeaderCrcMismatch;
        }

        header = new GptHeader(
            BinaryPrimitives.ReadUInt32LittleEndian(sector[RevisionOffset..]),
            (int)headerSize,
            storedCrc,
            ReadLba(sector, MyLbaOffset),
            ReadLba(sector, AlternateLbaOffset),
            ReadLba(sector, FirstUsableLbaOffset),
            ReadLba(sector, LastUsableLbaOffset),
            new Guid(sector.Slice(DiskGuidOffset, 16)),
            ReadLba(sector, EntriesLbaOffset),
            ReadCount(sector, EntryCountOffset),
            ReadCount(sector, EntrySizeOffset),
            BinaryPrimitives.ReadUInt32LittleEndian(sector[EntriesCrcOffset..]));
        return Check(header, expectedLba, diskSectors, sector.Length);
    }

    /// <summary>The CRC32 of a header with its CRC field taken as zero.</summary>
    /// <param name="header">The first <c>HeaderSize</c> bytes of the header.</param>
    /// <returns>The CRC32.</returns>
    public static uint ComputeHeaderCrc(ReadOnlySpan<byte> header)
    {
        var crc = new Crc32();
        crc.Append(header[..HeaderCrcOffset]);
        crc.Append([0, 0, 0, 0]);
        crc.Append(header[(HeaderCrcOffset + 4)..]);
        return crc.GetCurrentHashAsUInt32();
    }

    /// <summary>Whether an entry size is one GPT allows (128 × 2^n) and the reader accepts.</summary>
    /// <param name="entrySize">The size.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool IsValidEntrySize(int entrySize)
        => entrySize >= GptParser.MinEntrySize && entrySize <= MaxEntrySize && int.IsPow2(entrySize);

    private static GptProblem Check(in GptHeader header, long expectedLba, long diskSectors, int lbaSize)
    {
        if (header.MyLba != expectedLba)
        {
            return GptProblem.WrongLba;
        }

        if (header.FirstUsableLba < 0 || header.LastUsableLba < header.FirstUsableLba || header.LastUsableLba >= diskSectors)
        {
            return GptProblem.BadUsableRange;
        }

        if (header.EntryCount < 0 || !IsValidEntrySize(header.EntrySize) || header.EntryCount > MaxEntriesLength / header.EntrySize)
        {
            return GptProblem.BadEntryGeometry;
        }

        var sectors = header.EntriesSectors(lbaSize);
        if (header.EntriesLba < 1 || header.EntriesLba >= diskSectors || sectors > diskSectors - header.EntriesLba
            || (header.MyLba >= header.EntriesLba && header.MyLba < header.EntriesLba + sectors))
        {
            return GptProblem.EntriesOutOfPlace;
        }

        return GptProblem.None;
    }

    // LBAs above long.MaxValue are nonsense; -1 makes every range check fail.
    private static long ReadLba(ReadOnlySpan<byte> sector, int offset)
    {
        var value = BinaryPrimitives.ReadUInt64LittleEndian(sector[offset..]);
        return value > long.MaxValue ? -1 : (long)value;
    }

    private static int ReadCount(ReadOnlySpan<byte> sector, int offset)
    {
        var value = BinaryPrimitives.ReadUInt32LittleEndian(sector[offset..]);
        return value > int.MaxValue ? -1 : (int)value;
    }
}
