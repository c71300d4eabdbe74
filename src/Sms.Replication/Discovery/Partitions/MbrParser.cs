using System.Buffers.Binary;

namespace Sms.Discovery.Partitions;

/// <summary>
/// Parses the first 512 bytes of an MBR or EBR sector (whatever the logical sector size) and decides whether sector 0
/// is a partition table at all.
/// </summary>
/// <remarks>
/// <code>
///   0                                   440        444  446                           510  512
///   +-----------------------------------+----------+----+-----------------------------+------+
///   | boot code                         | disk sig | 00 | 4 entries x 16 bytes        | 55AA |
///   +-----------------------------------+----------+----+-----------------------------+------+
///
///   entry:  0        1           4      5           8                 12                16
///           +--------+-----------+------+-----------+-----------------+-----------------+
///           | status | CHS first | type | CHS last  | first LBA (LE)  | sectors (LE)    |
///           +--------+-----------+------+-----------+-----------------+-----------------+
/// </code>
/// </remarks>
internal static class MbrParser
{
    /// <summary>The bytes of an MBR, whatever the logical sector size.</summary>
    public const int SectorLength = 512;

    /// <summary>Where the 32-bit disk signature is.</summary>
    public const int DiskSignatureOffset = 440;

    /// <summary>Where the first partition entry is.</summary>
    public const int EntriesOffset = 446;

    /// <summary>The size of one partition entry.</summary>
    public const int EntryLength = 16;

    /// <summary>The number of entries in an MBR or EBR.</summary>
    public const int EntryCount = 4;

    /// <summary>Where the 0x55, 0xAA boot signature is.</summary>
    public const int BootSignatureOffset = 510;

    private const int StatusOffset = 0;
    private const int TypeOffset = 4;
    private const int FirstLbaOffset = 8;
    private const int SectorCountOffset = 12;

    /// <summary>Whether the sector ends in the 0x55AA boot signature.</summary>
    /// <param name="sector">The sector (at least 512 bytes for a <see langword="true"/> answer).</param>
    /// <returns><see langword="true"/> when the signature is there.</returns>
    public static bool HasBootSignature(ReadOnlySpan<byte> sector)
        => sector.Length >= SectorLength && sector[BootSignatureOffset] == 0x55 && sector[BootSignatureOffset + 1] == 0xAA;

    /// <summary>Reads the disk signature (the MBR "disk id").</summary>
    /// <param name="sector">At least 512 bytes.</param>
    /// <returns>The signature.</returns>
    public static uint ReadDiskSignature(ReadOnlySpan<byte> sector)
        => BinaryPrimitives.ReadUInt32LittleEndian(sector.Slice(DiskSignatureOffset, 4));

    /// <summary>Formats a disk signature as the reader reports it: 8 lowercase hex digits.</summary>
    /// <param name="signature">The signature.</param>
    /// <returns>The text, for example <c>1234abcd</c>.</returns>
    public static string FormatDiskSignature(uint signature) => signature.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Reads one of the four entries.</summary>
    /// <param name="sector">At least 512 bytes.</param>
    /// <param name="index">0 to 3.</param>
    /// <returns>The entry, used or not.</returns>
    public static MbrEntry ReadEntry(ReadOnlySpan<byte> sector, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, EntryCount);
        var entry = sector.Slice(EntriesOffset + (index * EntryLength), EntryLength);
        return new MbrEntry(
            entry[StatusOffset],
            entry[TypeOffset],
            BinaryPrimitives.ReadUInt32LittleEndian(entry[FirstLbaOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(entry[SectorCountOffset..]));
    }

    /// <summary>Reads the four entries.</summary>
    /// <param name="sector">At least 512 bytes.</param>
    /// <returns>Four entries, used or not, in slot order.</returns>
    public static MbrEntry[] ReadEntries(ReadOnlySpan<byte> sector)
    {
        var entries = new MbrEntry[EntryCount];
        for (var i = 0; i < EntryCount; i++)
        {
            entries[i] = ReadEntry(sector, i);
        }

        return entries;
    }

    /// <summary>Decides what sector 0 is: no table, a file system, nonsense, an MBR or a protective MBR.</summary>
    /// <param name="sector">The first sector (512 bytes or more; fewer means no table).</param>
    /// <param name="diskSectors">The number of logical sectors on the disk.</param>
    /// <param name="problem">Why the entries are not plausible, for <see cref="MbrSectorKind.Implausible"/>.</param>
    /// <returns>The verdict.</returns>
    public static MbrSectorKind Classify(ReadOnlySpan<byte> sector, long diskSectors, out string? problem)
    {
        problem = null;
        if (!HasBootSignature(sector))
        {
            return MbrSectorKind.NoSignature;
        }

        if (FileSystemBootSector.IsNtfs(sector) || FileSystemBootSector.IsExFat(sector))
        {
            return MbrSectorKind.FileSystemBootSector;
        }

        Span<MbrEntry> entries = stackalloc MbrEntry[EntryCount];
        var used = 0;
        var protective = false;
        for (var i = 0; i < EntryCount; i++)
        {
            entries[i] = ReadEntry(sector, i);
            if (entries[i].IsUsed)
            {
                used++;
                protective |= entries[i].IsGptProtective;
            }
        }

        problem = FindImplausibleEntry(entries, diskSectors);
        if (FileSystemBootSector.IsFat(sector) && (problem is not null || used == 0))
        {
            problem = null;
            return MbrSectorKind.FileSystemBootSector;
        }

        if (problem is not null)
        {
            return MbrSectorKind.Implausible;
        }

        return protective ? MbrSectorKind.ProtectiveMbr : MbrSectorKind.Mbr;
    }

    /// <summary>
    /// Checks the four primary entries: every status byte is 0x00 or 0x80, every used entry starts after sector 0 and
    /// within the disk, and used entries do not overlap (the 0xee entry of a hybrid MBR aside).
    /// </summary>
    /// <param name="entries">The four entries.</param>
    /// <param name="diskSectors">The number of logical sectors on the disk.</param>
    /// <returns>The first problem found, or <see langword="null"/> when the entries are plausible.</returns>
    public static string? FindImplausibleEntry(ReadOnlySpan<MbrEntry> entries, long diskSectors)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            if (!entry.HasValidStatus)
            {
                return $"entry {i + 1} has the status byte 0x{entry.Status:x2}";
            }

            if (!entry.IsUsed)
            {
                continue;
            }

            if (entry.FirstLba == 0)
            {
                return $"entry {i + 1} starts at sector 0, over the MBR itself";
            }

            if (entry.FirstLba >= diskSectors)
            {
                return $"entry {i + 1} starts at sector {entry.FirstLba}, beyond the end of the disk ({diskSectors} sectors)";
            }

            for (var j = 0; j < i; j++)
            {
                var other = entries[j];
                if (other.IsUsed && !other.IsGptProtective && !entry.IsGptProtective
                    && entry.FirstLba < other.EndLba && other.FirstLba < entry.EndLba)
                {
                    return $"entries {j + 1} and {i + 1} overlap";
                }
            }
        }

        return null;
    }
}
