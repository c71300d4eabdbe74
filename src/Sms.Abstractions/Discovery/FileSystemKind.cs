namespace Sms.Discovery;

/// <summary>What a partition (or a whole disk) holds, by its superblock.</summary>
public enum FileSystemKind
{
    /// <summary>Nothing recognised.</summary>
    Unknown = 0,

    /// <summary>ext2.</summary>
    Ext2,

    /// <summary>ext3 (ext2 with a journal).</summary>
    Ext3,

    /// <summary>ext4.</summary>
    Ext4,

    /// <summary>XFS.</summary>
    Xfs,

    /// <summary>Btrfs.</summary>
    Btrfs,

    /// <summary>FAT12/16/32 (vfat).</summary>
    Vfat,

    /// <summary>NTFS.</summary>
    Ntfs,

    /// <summary>Linux swap: only the header is valid data.</summary>
    Swap,

    /// <summary>An LVM2 physical volume.</summary>
    LvmPhysicalVolume,
}
