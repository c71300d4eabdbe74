using System.Buffers.Binary;

namespace Sms.Discovery.FileSystems.Ext;

/// <summary>
/// The fields of an ext2/3/4 superblock that discovery needs, read little-endian from the 1024 bytes at offset 1024
/// of the file system. Parsing never fails: the values are raw and <see cref="ExtGeometry"/> judges them.
/// </summary>
internal sealed class ExtSuperblock
{
    /// <summary>Where the superblock starts, from the start of the file system.</summary>
    public const int Offset = 1024;

    /// <summary>The bytes of the superblock.</summary>
    public const int Size = 1024;

    /// <summary>The value of <c>s_magic</c>.</summary>
    public const ushort ExtMagic = 0xEF53;

    /*  struct ext4_super_block (the fields read here; offsets in hex)
        00 s_inodes_count        04 s_blocks_count_lo      0C s_free_blocks_count_lo  14 s_first_data_block
        18 s_log_block_size      1C s_log_cluster_size     20 s_blocks_per_group      24 s_clusters_per_group
        28 s_inodes_per_group    38 s_magic (16)           3A s_state (16)            4C s_rev_level
        58 s_inode_size (16)     5C s_feature_compat       60 s_feature_incompat      64 s_feature_ro_compat
        68 s_uuid[16]            78 s_volume_name[16]      CE s_reserved_gdt_blocks (16)
        E0 s_journal_inum        FE s_desc_size (16)       104 s_first_meta_bg        150 s_blocks_count_hi
        158 s_free_blocks_count_hi                         24C s_backup_bgs[2]           270 s_checksum_seed
        3FC s_checksum (crc32c of the bytes before it, with metadata_csum)                                   */
    private const int InodesCountAt = 0x00;
    private const int BlocksCountLoAt = 0x04;
    private const int FreeBlocksLoAt = 0x0C;
    private const int FirstDataBlockAt = 0x14;
    private const int LogBlockSizeAt = 0x18;
    private const int LogClusterSizeAt = 0x1C;
    private const int BlocksPerGroupAt = 0x20;
    private const int ClustersPerGroupAt = 0x24;
    private const int InodesPerGroupAt = 0x28;
    private const int MagicAt = 0x38;
    private const int StateAt = 0x3A;
    private const int RevLevelAt = 0x4C;
    private const int InodeSizeAt = 0x58;
    private const int CompatAt = 0x5C;
    private const int IncompatAt = 0x60;
    private const int RoCompatAt = 0x64;
    private const int UuidAt = 0x68;
    private const int VolumeNameAt = 0x78;
    private const int ReservedGdtBlocksAt = 0xCE;
    private const int JournalInodeAt = 0xE0;
    private const int DescSizeAt = 0xFE;
    private const int FirstMetaBgAt = 0x104;
    private const int BlocksCountHiAt = 0x150;
    private const int FreeBlocksHiAt = 0x158;
    private const int BackupBgsAt = 0x24C;
    private const int ChecksumSeedAt = 0x270;
    private const int ChecksumAt = 0x3FC;

    private ExtSuperblock(ReadOnlySpan<byte> raw)
    {
        InodesCount = U32(raw, InodesCountAt);
        FirstDataBlock = U32(raw, FirstDataBlockAt);
        LogBlockSize = U32(raw, LogBlockSizeAt);
        LogClusterSize = U32(raw, LogClusterSizeAt);
        BlocksPerGroup = U32(raw, BlocksPerGroupAt);
        ClustersPerGroup = U32(raw, ClustersPerGroupAt);
        InodesPerGroup = U32(raw, InodesPerGroupAt);
        Magic = U16(raw, MagicAt);
        State = U16(raw, StateAt);
        RevLevel = U32(raw, RevLevelAt);
        InodeSize = U16(raw, InodeSizeAt);
        Compat = U32(raw, CompatAt);
        Incompat = U32(raw, IncompatAt);
        RoCompat = U32(raw, RoCompatAt);
        Uuid = raw.Slice(UuidAt, 16).ToArray();
        VolumeName = raw.Slice(VolumeNameAt, 16).ToArray();
        ReservedGdtBlocks = U16(raw, ReservedGdtBlocksAt);
        JournalInode = U32(raw, JournalInodeAt);
        DescSize = U16(raw, DescSizeAt);
        FirstMetaBg = U32(raw, FirstMetaBgAt);
        BackupBg0 = U32(raw, BackupBgsAt);
        BackupBg1 = U32(raw, BackupBgsAt + 4);
        ChecksumSeed = U32(raw, ChecksumSeedAt);
        var wide = (Incompat & ExtFeatures.Incompat64Bit) != 0;
        BlocksCount = U32(raw, BlocksCountLoAt) | (wide ? (ulong)U32(raw, BlocksCountHiAt) << 32 : 0);
        FreeBlocksCount = U32(raw, FreeBlocksLoAt) | (wide ? (ulong)U32(raw, FreeBlocksHiAt) << 32 : 0);
        ChecksumMatches = !HasRoCompat(ExtFeatures.RoCompatMetadataCsum)
            || ExtChecksums.Crc32C(uint.MaxValue, raw[..ChecksumAt]) == U32(raw, ChecksumAt);
    }

    public uint InodesCount { get; }

    /// <summary>Blocks, with the high half when INCOMPAT_64BIT is set.</summary>
    public ulong BlocksCount { get; }

    /// <summary>Free blocks, with the high half when INCOMPAT_64BIT is set.</summary>
    public ulong FreeBlocksCount { get; }

    public uint FirstDataBlock { get; }

    public uint LogBlockSize { get; }

    public uint LogClusterSize { get; }

    public uint BlocksPerGroup { get; }

    public uint ClustersPerGroup { get; }

    public uint InodesPerGroup { get; }

    public ushort Magic { get; }

    public ushort State { get; }

    public uint RevLevel { get; }

    public ushort InodeSize { get; }

    public uint Compat { get; }

    public uint Incompat { get; }

    public uint RoCompat { get; }

    public byte[] Uuid { get; }

    public byte[] VolumeName { get; }

    public ushort ReservedGdtBlocks { get; }

    public uint JournalInode { get; }

    public ushort DescSize { get; }

    public uint FirstMetaBg { get; }

    public uint BackupBg0 { get; }

    public uint BackupBg1 { get; }

    public uint ChecksumSeed { get; }

    /// <summary>Whether <c>s_checksum</c> matches (always true without metadata_csum).</summary>
    public bool ChecksumMatches { get; }

    /// <summary>Whether <c>s_magic</c> is 0xEF53.</summary>
    public bool HasMagic => Magic == ExtMagic;

    /// <summary>Parses the 1024 bytes of a superblock.</summary>
    /// <param name="raw">At least <see cref="Size"/> bytes.</param>
    /// <returns>The raw fields.</returns>
    public static ExtSuperblock Parse(ReadOnlySpan<byte> raw)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(raw.Length, Size, nameof(raw));
        return new ExtSuperblock(raw);
    }

    public bool HasCompat(uint flag) => (Compat & flag) != 0;

    public bool HasIncompat(uint flag) => (Incompat & flag) != 0;

    public bool HasRoCompat(uint flag) => (RoCompat & flag) != 0;

    private static uint U32(ReadOnlySpan<byte> raw, int at) => BinaryPrimitives.ReadUInt32LittleEndian(raw[at..]);

    private static ushort U16(ReadOnlySpan<byte> raw, int at) => BinaryPrimitives.ReadUInt16LittleEndian(raw[at..]);
}
