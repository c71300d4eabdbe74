using System.Buffers.Binary;
using System.Text;

namespace Sms.Discovery.FileSystems.Xfs;

/// <summary>
/// The fields of the primary XFS superblock (sector 0 of AG 0) the allocation map needs. All fields are big-endian
/// except the CRC.
/// <code>
///   0 magicnum "XFSB"   4 blocksize      8 dblocks (u64)   16 rblocks (u64)   24 rextents (u64)
///  32 uuid[16]         48 logstart (u64, 0 = external log)  56 rootino  64 rbmino  72 rsumino
///  80 rextsize         84 agblocks      88 agcount        92 rbmblocks       96 logblocks
/// 100 versionnum (u16) 102 sectsize (u16) 104 inodesize  106 inopblock      108 fname[12]
/// 120 blocklog (u8)   121 sectlog (u8)  122 inodelog  123 inopblog  124 agblklog  125 rextslog  126 inprogress
/// 128 icount (u64)    136 ifree (u64)  144 fdblocks (u64)  152 frextents (u64)
/// v5 only: 208 features_compat  212 features_ro_compat  216 features_incompat  220 features_log_incompat
///          224 crc (le32)  228 spino_align  232 pquotino  240 lsn  248 meta_uuid[16]
/// </code>
/// </summary>
internal readonly record struct XfsSuperblock
{
    /// <summary>"XFSB".</summary>
    public const uint Magic = 0x58465342;

    /// <summary>The smallest sector XFS uses; the superblock fits in it.</summary>
    public const int MinimumSectorSize = 512;

    /// <summary>sb_features_incompat: the metadata UUID lives in sb_meta_uuid.</summary>
    public const uint IncompatMetaUuid = 1u << 2;

    /// <summary>sb_features_incompat: the file system must be repaired before it is used.</summary>
    public const uint IncompatNeedsRepair = 1u << 4;

    /// <summary>
    /// sb_features_incompat bits known not to change the data device's AG headers or free-space b+trees: ftype,
    /// sparse inodes, meta uuid, bigtime, needsrepair (handled separately), nrext64, exchange-range, parent
    /// pointers, metadir. Anything else (zoned devices, say) may put data where this reader does not look.
    /// </summary>
    public const uint IncompatUnderstood = 0x1FF;

    private const int MagicOffset = 0;
    private const int BlockSizeOffset = 4;
    private const int DataBlocksOffset = 8;
    private const int RealtimeBlocksOffset = 16;
    private const int UuidOffset = 32;
    private const int LogStartOffset = 48;
    private const int AgBlocksOffset = 84;
    private const int AgCountOffset = 88;
    private const int VersionOffset = 100;
    private const int SectorSizeOffset = 102;
    private const int NameOffset = 108;
    private const int NameLength = 12;
    private const int BlockLogOffset = 120;
    private const int SectorLogOffset = 121;
    private const int InProgressOffset = 126;
    private const int FreeDataBlocksOffset = 144;
    private const int IncompatOffset = 216;

    /// <summary>Where the v5 superblock CRC is.</summary>
    public const int CrcOffset = 224;

    private const int MetaUuidOffset = 248;

    /// <summary>sb_blocksize.</summary>
    public uint BlockSize { get; init; }

    /// <summary>sb_blocklog.</summary>
    public byte BlockLog { get; init; }

    /// <summary>sb_dblocks: blocks on the data device.</summary>
    public ulong DataBlocks { get; init; }

    /// <summary>sb_rblocks: blocks on the realtime device.</summary>
    public ulong RealtimeBlocks { get; init; }

    /// <summary>sb_uuid, the user-visible id.</summary>
    public Guid Uuid { get; init; }

    /// <summary>sb_meta_uuid (v5); the id stamped in metadata when <see cref="IncompatMetaUuid"/> is set.</summary>
    public Guid MetaUuid { get; init; }

    /// <summary>sb_logstart: the first block of an internal log, 0 for an external log.</summary>
    public ulong LogStart { get; init; }

    /// <summary>sb_agblocks.</summary>
    public uint AgBlocks { get; init; }

    /// <summary>sb_agcount.</summary>
    public uint AgCount { get; init; }

    /// <summary>sb_versionnum.</summary>
    public ushort VersionNumber { get; init; }

    /// <summary>sb_sectsize.</summary>
    public ushort SectorSize { get; init; }

    /// <summary>sb_sectlog.</summary>
    public byte SectorLog { get; init; }

    /// <summary>sb_fname, up to its first NUL.</summary>
    public string? Label { get; init; }

    /// <summary>sb_inprogress: mkfs did not finish.</summary>
    public bool InProgress { get; init; }

    /// <summary>sb_fdblocks (lazily updated: stale on a mounted file system).</summary>
    public ulong FreeDataBlocks { get; init; }

    /// <summary>sb_features_incompat (v5; 0 for v4).</summary>
    public uint IncompatibleFeatures { get; init; }

    /// <summary>The low four bits of sb_versionnum.</summary>
    public int Version => VersionNumber & 0xF;

    /// <summary>Whether this is a v5 (CRC-enabled) file system.</summary>
    public bool HasCrc => Version == 5;

    /// <summary>The UUID stamped into v5 metadata blocks.</summary>
    public Guid MetadataUuid => (IncompatibleFeatures & IncompatMetaUuid) != 0 ? MetaUuid : Uuid;

    /// <summary>Bytes the file system spans on the data device (0 when the geometry overflows).</summary>
    public long TotalBytes => DataBlocks <= (ulong)(long.MaxValue >> 17) ? (long)DataBlocks * BlockSize : 0;

    /// <summary>Parses the superblock, if <paramref name="sector"/> carries the XFS magic.</summary>
    /// <param name="sector">At least the first 512 bytes of the file system.</param>
    /// <param name="superblock">The fields.</param>
    /// <returns><see langword="false"/> when the magic is missing.</returns>
    public static bool TryParse(ReadOnlySpan<byte> sector, out XfsSuperblock superblock)
    {
        superblock = default;
        if (sector.Length < MinimumSectorSize || BinaryPrimitives.ReadUInt32BigEndian(sector[MagicOffset..]) != Magic)
        {
            return false;
        }

        var version = BinaryPrimitives.ReadUInt16BigEndian(sector[VersionOffset..]);
        var v5 = (version & 0xF) == 5;
        superblock = new XfsSuperblock
        {
            BlockSize = BinaryPrimitives.ReadUInt32BigEndian(sector[BlockSizeOffset..]),
            DataBlocks = BinaryPrimitives.ReadUInt64BigEndian(sector[DataBlocksOffset..]),
            RealtimeBlocks = BinaryPrimitives.ReadUInt64BigEndian(sector[RealtimeBlocksOffset..]),
            Uuid = new Guid(sector.Slice(UuidOffset, 16), bigEndian: true),
            LogStart = BinaryPrimitives.ReadUInt64BigEndian(sector[LogStartOffset..]),
            AgBlocks = BinaryPrimitives.ReadUInt32BigEndian(sector[AgBlocksOffset..]),
            AgCount = BinaryPrimitives.ReadUInt32BigEndian(sector[AgCountOffset..]),
            VersionNumber = version,
            SectorSize = BinaryPrimitives.ReadUInt16BigEndian(sector[SectorSizeOffset..]),
            Label = ReadLabel(sector.Slice(NameOffset, NameLength)),
            BlockLog = sector[BlockLogOffset],
            SectorLog = sector[SectorLogOffset],
            InProgress = sector[InProgressOffset] != 0,
            FreeDataBlocks = BinaryPrimitives.ReadUInt64BigEndian(sector[FreeDataBlocksOffset..]),
            IncompatibleFeatures = v5 ? BinaryPrimitives.ReadUInt32BigEndian(sector[IncompatOffset..]) : 0,
            MetaUuid = v5 ? new Guid(sector.Slice(MetaUuidOffset, 16), bigEndian: true) : Guid.Empty,
        };
        return true;
    }

    /// <summary>Checks the geometry the map relies on.</summary>
    /// <returns>What is wrong, or <see langword="null"/> when the geometry is consistent.</returns>
    public string? ValidateGeometry()
    {
        if (Version is not (4 or 5))
        {
            return $"XFS superblock version {Version} is not supported (only v4 and v5)";
        }

        if (BlockSize is < 512 or > 65536 || !IsPowerOfTwo(BlockSize) || (1u << BlockLog) != BlockSize)
        {
            return $"XFS block size {BlockSize} (log {BlockLog}) is invalid";
        }

        if (SectorSize is < 512 or > 32768 || !IsPowerOfTwo(SectorSize) || (1u << SectorLog) != SectorSize || SectorSize > BlockSize)
        {
            return $"XFS sector size {SectorSize} (log {SectorLog}) is invalid";
        }

        if (AgCount == 0 || AgBlocks < 16 || DataBlocks == 0 || DataBlocks > (ulong)(long.MaxValue >> 17))
        {
            return $"XFS geometry is invalid (agcount {AgCount}, agblocks {AgBlocks}, dblocks {DataBlocks})";
        }

        var full = (ulong)AgCount * AgBlocks;
        if (DataBlocks > full || DataBlocks <= full - AgBlocks)
        {
            return $"XFS dblocks {DataBlocks} does not fit {AgCount} AGs of {AgBlocks} blocks";
        }

        if (AgHeaderBlocks >= LastAgLength)
        {
            return "XFS allocation groups are too small to hold their headers";
        }

        return null;
    }

    /// <summary>The length in blocks of allocation group <paramref name="agNumber"/> (the last one may be shorter).</summary>
    /// <param name="agNumber">The AG.</param>
    /// <returns>Its length.</returns>
    public uint AgLength(uint agNumber) => agNumber == AgCount - 1 ? LastAgLength : AgBlocks;

    /// <summary>The length of the last AG: dblocks − (agcount − 1) × agblocks.</summary>
    public uint LastAgLength => (uint)(DataBlocks - ((ulong)(AgCount - 1) * AgBlocks));

    /// <summary>
    /// The blocks at the start of every AG holding its four header sectors (superblock, AGF, AGI, AGFL); no
    /// free extent or b+tree block may start below it.
    /// </summary>
    public uint AgHeaderBlocks => (uint)(((4L * SectorSize) + BlockSize - 1) / BlockSize);

    /// <summary>The byte offset, from the start of the file system, of an AG-relative block.</summary>
    /// <param name="agNumber">The AG.</param>
    /// <param name="agBlock">The block inside it.</param>
    /// <returns>The offset.</returns>
    public long ByteOffset(uint agNumber, long agBlock) => (((long)agNumber * AgBlocks) + agBlock) * BlockSize;

    private static bool IsPowerOfTwo(uint value) => value != 0 && (value & (value - 1)) == 0;

    private static string? ReadLabel(ReadOnlySpan<byte> name)
    {
        var end = name.IndexOf((byte)0);
        if (end >= 0)
        {
            name = name[..end];
        }

        return name.IsEmpty ? null : Encoding.UTF8.GetString(name);
    }
}
