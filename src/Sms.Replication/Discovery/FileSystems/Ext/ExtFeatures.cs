using System.Text;

namespace Sms.Discovery.FileSystems.Ext;

/// <summary>The ext2/3/4 feature flags (e2fsprogs names), the kind they imply and the ones the map understands.</summary>
internal static class ExtFeatures
{
    public const uint CompatHasJournal = 0x0004;
    public const uint CompatSparseSuper2 = 0x0200;

    public const uint IncompatCompression = 0x0001;
    public const uint IncompatFileType = 0x0002;
    public const uint IncompatRecover = 0x0004;
    public const uint IncompatJournalDev = 0x0008;
    public const uint IncompatMetaBg = 0x0010;
    public const uint IncompatExtents = 0x0040;
    public const uint Incompat64Bit = 0x0080;
    public const uint IncompatMmp = 0x0100;
    public const uint IncompatFlexBg = 0x0200;
    public const uint IncompatEaInode = 0x0400;
    public const uint IncompatDirData = 0x1000;
    public const uint IncompatCsumSeed = 0x2000;
    public const uint IncompatLargeDir = 0x4000;
    public const uint IncompatInlineData = 0x8000;
    public const uint IncompatEncrypt = 0x10000;
    public const uint IncompatCasefold = 0x20000;

    public const uint RoCompatSparseSuper = 0x0001;
    public const uint RoCompatLargeFile = 0x0002;
    public const uint RoCompatBtreeDir = 0x0004;
    public const uint RoCompatHugeFile = 0x0008;
    public const uint RoCompatGdtCsum = 0x0010;
    public const uint RoCompatDirNlink = 0x0020;
    public const uint RoCompatExtraIsize = 0x0040;
    public const uint RoCompatHasSnapshot = 0x0080;
    public const uint RoCompatQuota = 0x0100;
    public const uint RoCompatBigalloc = 0x0200;
    public const uint RoCompatMetadataCsum = 0x0400;
    public const uint RoCompatReplica = 0x0800;
    public const uint RoCompatReadOnly = 0x1000;
    public const uint RoCompatProject = 0x2000;
    public const uint RoCompatSharedBlocks = 0x4000;
    public const uint RoCompatVerity = 0x8000;
    public const uint RoCompatOrphanPresent = 0x10000;

    /// <summary>Incompatible features that leave the block bitmaps meaning "allocated" (RECOVER is judged apart).</summary>
    private const uint IncompatUnderstood = IncompatFileType | IncompatRecover | IncompatMetaBg | IncompatExtents | Incompat64Bit
        | IncompatMmp | IncompatFlexBg | IncompatEaInode | IncompatDirData | IncompatCsumSeed | IncompatLargeDir
        | IncompatInlineData | IncompatEncrypt | IncompatCasefold;

    /// <summary>Read-only-compatible features that leave the bitmaps alone, or (bigalloc) that the map handles.</summary>
    private const uint RoCompatUnderstood = RoCompatSparseSuper | RoCompatLargeFile | RoCompatBtreeDir | RoCompatHugeFile
        | RoCompatGdtCsum | RoCompatDirNlink | RoCompatExtraIsize | RoCompatQuota | RoCompatBigalloc | RoCompatMetadataCsum
        | RoCompatReadOnly | RoCompatProject | RoCompatSharedBlocks | RoCompatVerity | RoCompatOrphanPresent;

    /// <summary>What ext3 has beyond ext2 (libblkid): anything else makes it ext4.</summary>
    private const uint IncompatExt3 = IncompatFileType | IncompatRecover | IncompatMetaBg | IncompatJournalDev;
    private const uint RoCompatExt3 = RoCompatSparseSuper | RoCompatLargeFile | RoCompatBtreeDir;

    private static readonly (uint Flag, string Name)[] IncompatNames =
    [
        (IncompatCompression, "compression"), (IncompatFileType, "filetype"), (IncompatRecover, "needs_recovery"),
        (IncompatJournalDev, "journal_dev"), (IncompatMetaBg, "meta_bg"), (IncompatExtents, "extent"), (Incompat64Bit, "64bit"),
        (IncompatMmp, "mmp"), (IncompatFlexBg, "flex_bg"), (IncompatEaInode, "ea_inode"), (IncompatDirData, "dirdata"),
        (IncompatCsumSeed, "metadata_csum_seed"), (IncompatLargeDir, "large_dir"), (IncompatInlineData, "inline_data"),
        (IncompatEncrypt, "encrypt"), (IncompatCasefold, "casefold"),
    ];

    private static readonly (uint Flag, string Name)[] RoCompatNames =
    [
        (RoCompatSparseSuper, "sparse_super"), (RoCompatLargeFile, "large_file"), (RoCompatBtreeDir, "btree_dir"),
        (RoCompatHugeFile, "huge_file"), (RoCompatGdtCsum, "uninit_bg"), (RoCompatDirNlink, "dir_nlink"),
        (RoCompatExtraIsize, "extra_isize"), (RoCompatHasSnapshot, "snapshot"), (RoCompatQuota, "quota"),
        (RoCompatBigalloc, "bigalloc"), (RoCompatMetadataCsum, "metadata_csum"), (RoCompatReplica, "replica"),
        (RoCompatReadOnly, "read-only"), (RoCompatProject, "project"), (RoCompatSharedBlocks, "shared_blocks"),
        (RoCompatVerity, "verity"), (RoCompatOrphanPresent, "orphan_present"),
    ];

    /// <summary>The kind, as libblkid decides it: ext4 with any feature ext3 lacks, ext3 with a journal, else ext2.</summary>
    /// <param name="superblock">The superblock.</param>
    /// <returns>The kind.</returns>
    public static FileSystemKind KindOf(ExtSuperblock superblock)
    {
        if ((superblock.Incompat & ~IncompatExt3) != 0 || (superblock.RoCompat & ~RoCompatExt3) != 0)
        {
            return FileSystemKind.Ext4;
        }

        return superblock.HasCompat(CompatHasJournal) ? FileSystemKind.Ext3 : FileSystemKind.Ext2;
    }

    /// <summary>Says which features stop the map from being trusted, if any.</summary>
    /// <param name="superblock">The superblock.</param>
    /// <returns>A note naming them, or <see langword="null"/>.</returns>
    public static string? Unsupported(ExtSuperblock superblock)
    {
        if (superblock.HasIncompat(IncompatJournalDev))
        {
            return "an external journal device (journal_dev), not a file system: the whole partition is kept";
        }

        var incompat = superblock.Incompat & ~IncompatUnderstood;
        var roCompat = superblock.RoCompat & ~RoCompatUnderstood;
        if (incompat == 0 && roCompat == 0)
        {
            return null;
        }

        var text = new StringBuilder("unsupported ext feature(s): ");
        AppendNames(text, incompat, IncompatNames, "incompat");
        AppendNames(text, roCompat, RoCompatNames, "ro_compat");
        return text.Append("; the whole partition is kept").ToString();
    }

    private static void AppendNames(StringBuilder text, uint flags, (uint Flag, string Name)[] names, string group)
    {
        for (var bit = 0; bit < 32; bit++)
        {
            var flag = 1u << bit;
            if ((flags & flag) == 0)
            {
                continue;
            }

            var name = $"{group}:0x{flag:x}";
            foreach (var (known, knownName) in names)
            {
                if (known == flag)
                {
                    name = knownName;
                    break;
                }
            }

            if (text[^2] != ':')
            {
                text.Append(", ");
            }

            text.Append(name);
        }
    }
}
