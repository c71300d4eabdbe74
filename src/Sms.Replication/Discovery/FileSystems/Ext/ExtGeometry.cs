namespace Sms.Discovery.FileSystems.Ext;

/// <summary>
/// The layout a superblock implies (block and cluster size, groups, where descriptors and backups live), derived
/// only after the superblock passed the same sanity checks the kernel makes at mount.
/// </summary>
internal sealed class ExtGeometry
{
    /// <summary>At most this many groups (2^26: 8 PiB with 128 MiB groups), to bound the descriptor array.</summary>
    private const long MaxGroups = 1L << 26;

    private ExtGeometry(ExtSuperblock sb, int blockSize, int clusterRatio, long blocksCount, long groupCount, int descSize)
    {
        Superblock = sb;
        BlockSize = blockSize;
        ClusterRatio = clusterRatio;
        BlocksCount = blocksCount;
        FirstDataBlock = sb.FirstDataBlock;
        BlocksPerGroup = sb.BlocksPerGroup;
        ClustersPerGroup = (int)(sb.BlocksPerGroup / (uint)clusterRatio);
        GroupCount = (int)groupCount;
        DescSize = descSize;
        DescsPerBlock = blockSize / descSize;
        DescriptorBlocks = (int)((groupCount + DescsPerBlock - 1) / DescsPerBlock);
        InodeSize = sb.RevLevel == 0 ? 128 : sb.InodeSize;
        InodeTableBlocks = (int)(((long)sb.InodesPerGroup * InodeSize + blockSize - 1) / blockSize);
        MetaBg = sb.HasIncompat(ExtFeatures.IncompatMetaBg);
        FirstMetaBg = MetaBg ? sb.FirstMetaBg : uint.MaxValue;
        FlexBg = sb.HasIncompat(ExtFeatures.IncompatFlexBg);
        GroupDescCsum = sb.HasRoCompat(ExtFeatures.RoCompatGdtCsum) || sb.HasRoCompat(ExtFeatures.RoCompatMetadataCsum);
        SuperblockBlock = blockSize == 1024 ? 1 : 0;
        MetadataCsum = sb.HasRoCompat(ExtFeatures.RoCompatMetadataCsum);
        ChecksumSeed = MetadataCsum ? ExtChecksums.Seed(sb) : 0;
    }

    public ExtSuperblock Superblock { get; }

    public int BlockSize { get; }

    /// <summary>Blocks per cluster: 1 unless bigalloc.</summary>
    public int ClusterRatio { get; }

    /// <summary>Bytes per allocation-bitmap bit.</summary>
    public long ClusterSize => (long)BlockSize * ClusterRatio;

    public long BlocksCount { get; }

    public long FirstDataBlock { get; }

    public long BlocksPerGroup { get; }

    public int ClustersPerGroup { get; }

    public int GroupCount { get; }

    public int DescSize { get; }

    public int DescsPerBlock { get; }

    /// <summary>Blocks of the whole descriptor table (the kernel's <c>s_gdb_count</c>).</summary>
    public int DescriptorBlocks { get; }

    public int InodeSize { get; }

    /// <summary>Blocks of one group's inode table.</summary>
    public int InodeTableBlocks { get; }

    public bool MetaBg { get; }

    /// <summary>The first descriptor block kept in META_BG style; <see cref="uint.MaxValue"/> without META_BG.</summary>
    public uint FirstMetaBg { get; }

    public bool FlexBg { get; }

    /// <summary>Whether group descriptors carry checksums, the condition for BLOCK_UNINIT to mean anything.</summary>
    public bool GroupDescCsum { get; }

    /// <summary>Whether descriptors and bitmaps carry crc32c checksums.</summary>
    public bool MetadataCsum { get; }

    /// <summary>The crc32c seed for metadata_csum.</summary>
    public uint ChecksumSeed { get; }

    /// <summary>Whether bitmap checksums have 32 bits (descriptors of 64 bytes or more) rather than 16.</summary>
    public bool WideBitmapChecksums => DescSize >= ExtGroupDescriptor.WideChecksumSize;

    /// <summary>The block that holds the primary superblock (1 with 1 KiB blocks, else 0).</summary>
    public long SuperblockBlock { get; }

    /// <summary>The file system size in bytes.</summary>
    public long TotalBytes => BlocksCount * BlockSize;

    /// <summary>Checks a superblock as the kernel does at mount and derives the layout.</summary>
    /// <param name="sb">The superblock (with the magic).</param>
    /// <param name="length">The bytes the file system may use: the partition length, or less when the disk ends first.</param>
    /// <param name="geometry">The layout, when the superblock is consistent.</param>
    /// <returns>Why the superblock is not trusted, or <see langword="null"/>.</returns>
    public static string? TryCreate(ExtSuperblock sb, long length, out ExtGeometry? geometry)
    {
        geometry = null;
        if (sb.RevLevel > 1)
        {
            return $"unknown ext revision {sb.RevLevel}";
        }

        if (sb.LogBlockSize > 6)
        {
            return $"block size 1024<<{sb.LogBlockSize} is out of range";
        }

        var blockSize = 1024 << (int)sb.LogBlockSize;
        var clusterRatio = 1;
        if (sb.HasRoCompat(ExtFeatures.RoCompatBigalloc))
        {
            if (sb.LogClusterSize < sb.LogBlockSize || sb.LogClusterSize - sb.LogBlockSize > 16)
            {
                return "bigalloc cluster size is out of range";
            }

            clusterRatio = 1 << (int)(sb.LogClusterSize - sb.LogBlockSize);
            if (sb.ClustersPerGroup == 0 || sb.ClustersPerGroup > (uint)blockSize * 8
                || (ulong)sb.ClustersPerGroup * (uint)clusterRatio != sb.BlocksPerGroup || sb.FirstDataBlock != 0)
            {
                return "bigalloc clusters per group do not match blocks per group";
            }
        }
        else if (sb.LogClusterSize != sb.LogBlockSize)
        {
            return "cluster (fragment) size differs from block size";
        }
        else if (sb.BlocksPerGroup == 0 || sb.BlocksPerGroup > (uint)blockSize * 8)
        {
            return $"blocks per group ({sb.BlocksPerGroup}) is out of range";
        }

        var expectedFirst = blockSize == 1024 && clusterRatio == 1 ? 1u : 0u;
        if (sb.FirstDataBlock != expectedFirst)
        {
            return $"first data block {sb.FirstDataBlock} should be {expectedFirst}";
        }

        var inodeSize = sb.RevLevel == 0 ? 128 : (int)sb.InodeSize;
        if (inodeSize < 128 || inodeSize > blockSize || (inodeSize & (inodeSize - 1)) != 0)
        {
            return $"inode size {sb.InodeSize} is out of range";
        }

        if (sb.InodesPerGroup < (uint)(blockSize / inodeSize) || sb.InodesPerGroup > (uint)blockSize * 8)
        {
            return $"inodes per group ({sb.InodesPerGroup}) is out of range";
        }

        if (sb.BlocksCount <= sb.FirstDataBlock || sb.BlocksCount > (ulong)(long.MaxValue / blockSize))
        {
            return $"block count {sb.BlocksCount} is out of range";
        }

        var blocksCount = (long)sb.BlocksCount;
        if (blocksCount * blockSize > length)
        {
            return $"the file system ({blocksCount * blockSize} bytes) is larger than its partition ({length} bytes on the disk)";
        }

        if (sb.FreeBlocksCount > sb.BlocksCount)
        {
            return "more free blocks than blocks";
        }

        var groupCount = (blocksCount - sb.FirstDataBlock + sb.BlocksPerGroup - 1) / sb.BlocksPerGroup;
        if (groupCount > MaxGroups)
        {
            return $"{groupCount} block groups are more than this reader handles";
        }

        if ((ulong)groupCount * sb.InodesPerGroup != sb.InodesCount)
        {
            return $"inode count {sb.InodesCount} does not match {groupCount} groups of {sb.InodesPerGroup}";
        }

        var descSize = 32;
        if (sb.HasIncompat(ExtFeatures.Incompat64Bit))
        {
            descSize = sb.DescSize;
            if (descSize < 64 || descSize > 1024 || (descSize & (descSize - 1)) != 0 || descSize > blockSize)
            {
                return $"group descriptor size {sb.DescSize} is out of range";
            }
        }

        if (sb.ReservedGdtBlocks > blockSize / 4)
        {
            return $"{sb.ReservedGdtBlocks} reserved GDT blocks are too many";
        }

        var candidate = new ExtGeometry(sb, blockSize, clusterRatio, blocksCount, groupCount, descSize);
        if (candidate.MetaBg && sb.FirstMetaBg > (uint)candidate.DescriptorBlocks)
        {
            return $"first meta block group {sb.FirstMetaBg} is beyond the {candidate.DescriptorBlocks} descriptor blocks";
        }

        if (candidate.SuperblockBlock + 1 + candidate.PrimaryDescriptorBlocks > blocksCount)
        {
            return "the descriptor table does not fit in the file system";
        }

        geometry = candidate;
        return null;
    }

    /// <summary>The first block of a group.</summary>
    public long GroupFirstBlock(int group) => FirstDataBlock + (group * BlocksPerGroup);

    /// <summary>The blocks of a group; the last one is clipped to the block count.</summary>
    public long GroupBlockCount(int group) => Math.Min(BlocksPerGroup, BlocksCount - GroupFirstBlock(group));

    /// <summary>The bitmap bits that map blocks of a group (clusters, rounded up for a partial last cluster).</summary>
    public int GroupClusterCount(int group) => (int)((GroupBlockCount(group) + ClusterRatio - 1) / ClusterRatio);

    /// <summary>The group that holds a block.</summary>
    public long GroupOf(long block) => (block - FirstDataBlock) / BlocksPerGroup;

    /// <summary>The descriptor blocks that follow the primary superblock (all of them, or those before META_BG starts).</summary>
    public int PrimaryDescriptorBlocks => MetaBg ? (int)Math.Max(FirstMetaBg, 1) : DescriptorBlocks;

    /// <summary>Whether a group holds a superblock backup (the kernel's <c>ext4_bg_has_super</c>).</summary>
    public bool HasSuper(long group)
    {
        if (group == 0)
        {
            return true;
        }

        if (Superblock.HasCompat(ExtFeatures.CompatSparseSuper2))
        {
            return group == Superblock.BackupBg0 || group == Superblock.BackupBg1;
        }

        if (group <= 1 || !Superblock.HasRoCompat(ExtFeatures.RoCompatSparseSuper))
        {
            return true;
        }

        return (group & 1) != 0 && (IsPowerOf(group, 3) || IsPowerOf(group, 5) || IsPowerOf(group, 7));
    }

    /// <summary>Where descriptor block <paramref name="index"/> lives (the kernel's <c>descriptor_loc</c>).</summary>
    public long DescriptorBlockLocation(int index)
    {
        if (!MetaBg || (uint)index < FirstMetaBg)
        {
            return SuperblockBlock + 1 + index;
        }

        var group = (long)index * DescsPerBlock;
        var hasSuper = HasSuper(group) ? 1 : 0;
        if (BlockSize == 1024 && index == 0 && FirstDataBlock == 0)
        {
            hasSuper++;
        }

        return GroupFirstBlock((int)group) + hasSuper;
    }

    /// <summary>
    /// The blocks at the start of a group that hold its superblock backup and descriptor copies (plus reserved GDT
    /// blocks), as the kernel's <c>ext4_num_base_meta_blocks</c> counts them; group 0 also covers the boot block.
    /// </summary>
    /// <returns>The first block and the block after the last; equal when the group has none.</returns>
    public (long Start, long End) BaseMetadata(int group)
    {
        var hasSuper = HasSuper(group);
        long descriptors;
        if (!MetaBg || group < (long)FirstMetaBg * DescsPerBlock)
        {
            descriptors = hasSuper ? (MetaBg ? FirstMetaBg : DescriptorBlocks) + Superblock.ReservedGdtBlocks : 0;
        }
        else
        {
            var first = group / DescsPerBlock * (long)DescsPerBlock;
            descriptors = group == first || group == first + 1 || group == first + DescsPerBlock - 1 ? 1 : 0;
        }

        var count = (hasSuper ? 1 : 0) + descriptors;
        if (group == 0)
        {
            return (0, Math.Min(BlocksCount, SuperblockBlock + count));
        }

        var start = GroupFirstBlock(group);
        return (start, Math.Min(start + GroupBlockCount(group), start + count));
    }

    private static bool IsPowerOf(long value, int root)
    {
        var power = (long)root;
        while (power < value)
        {
            power *= root;
        }

        return power == value;
    }
}
