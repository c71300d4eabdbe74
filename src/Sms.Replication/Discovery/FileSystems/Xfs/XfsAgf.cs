using System.Buffers.Binary;

namespace Sms.Discovery.FileSystems.Xfs;

/// <summary>
/// The AG free-space header (AGF), in the second sector of every allocation group. Big-endian except the CRC.
/// <code>
///   0 magicnum "XAGF"   4 versionnum (1)   8 seqno (AG number)   12 length (AG blocks)
///  16 roots[bno, cnt, rmap]               28 levels[bno, cnt, rmap]
///  40 flfirst  44 fllast  48 flcount (blocks on the AGFL)  52 freeblks (blocks in the bno b+tree records)
///  56 longest  60 btreeblks
/// v5 only: 64 uuid[16]  ...  208 lsn (u64)  216 crc (le32)
/// </code>
/// </summary>
internal readonly record struct XfsAgf
{
    /// <summary>"XAGF".</summary>
    public const uint Magic = 0x58414746;

    /// <summary>The deepest b+tree this reader follows.</summary>
    public const int MaxLevels = 10;

    private const int VersionOffset = 4;
    private const int SequenceOffset = 8;
    private const int LengthOffset = 12;
    private const int BnoRootOffset = 16;
    private const int BnoLevelOffset = 28;
    private const int FreeListCountOffset = 48;
    private const int FreeBlocksOffset = 52;
    private const int UuidOffset = 64;
    private const int CrcOffset = 216;

    /// <summary>agf_roots[0]: the root of the by-block-number free-space b+tree.</summary>
    public uint BnoRoot { get; init; }

    /// <summary>agf_levels[0]: its height (1 = the root is a leaf).</summary>
    public uint BnoLevels { get; init; }

    /// <summary>agf_flcount: blocks held on the AG free list.</summary>
    public uint FreeListCount { get; init; }

    /// <summary>agf_freeblks: free blocks recorded in the free-space b+trees (the AGFL excluded).</summary>
    public uint FreeBlocks { get; init; }

    /// <summary>Parses and checks the AGF of one allocation group.</summary>
    /// <param name="sector">The AGF sector.</param>
    /// <param name="superblock">The superblock.</param>
    /// <param name="agNumber">Which AG this is.</param>
    /// <param name="agf">The fields, when valid.</param>
    /// <returns>What is wrong, or <see langword="null"/> when the AGF is usable.</returns>
    public static string? Parse(ReadOnlySpan<byte> sector, in XfsSuperblock superblock, uint agNumber, out XfsAgf agf)
    {
        agf = default;
        if (sector.Length < superblock.SectorSize || sector.Length < 224)
        {
            return $"AGF {agNumber} is truncated";
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(sector) != Magic)
        {
            return $"AGF {agNumber} has a bad magic number";
        }

        if (superblock.HasCrc)
        {
            if (!XfsChecksum.Verify(sector[..superblock.SectorSize], CrcOffset))
            {
                return $"AGF {agNumber} fails its CRC";
            }

            if (new Guid(sector.Slice(UuidOffset, 16), bigEndian: true) != superblock.MetadataUuid)
            {
                return $"AGF {agNumber} belongs to another file system (UUID)";
            }
        }

        var agLength = superblock.AgLength(agNumber);
        if (BinaryPrimitives.ReadUInt32BigEndian(sector[VersionOffset..]) != 1
            || BinaryPrimitives.ReadUInt32BigEndian(sector[SequenceOffset..]) != agNumber
            || BinaryPrimitives.ReadUInt32BigEndian(sector[LengthOffset..]) != agLength)
        {
            return $"AGF {agNumber} has a bad version, sequence number or length";
        }

        var parsed = new XfsAgf
        {
            BnoRoot = BinaryPrimitives.ReadUInt32BigEndian(sector[BnoRootOffset..]),
            BnoLevels = BinaryPrimitives.ReadUInt32BigEndian(sector[BnoLevelOffset..]),
            FreeListCount = BinaryPrimitives.ReadUInt32BigEndian(sector[FreeListCountOffset..]),
            FreeBlocks = BinaryPrimitives.ReadUInt32BigEndian(sector[FreeBlocksOffset..]),
        };

        if (parsed.BnoLevels is 0 or > MaxLevels)
        {
            return $"AGF {agNumber}: free-space b+tree depth {parsed.BnoLevels} is out of range (1..{MaxLevels})";
        }

        if (parsed.BnoRoot < superblock.AgHeaderBlocks || parsed.BnoRoot >= agLength)
        {
            return $"AGF {agNumber}: free-space b+tree root {parsed.BnoRoot} is outside the AG";
        }

        if (parsed.FreeBlocks > agLength || parsed.FreeListCount > agLength)
        {
            return $"AGF {agNumber}: free block counts exceed the AG";
        }

        agf = parsed;
        return null;
    }
}
