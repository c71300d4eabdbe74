namespace Sms.Discovery.Partitions;

/// <summary>What sector 0 (or an EBR) holds, as far as partitioning goes.</summary>
internal enum MbrSectorKind
{
    /// <summary>No 0x55AA boot signature: no partition table.</summary>
    NoSignature = 0,

    /// <summary>A file system boot sector (NTFS, exFAT, or FAT without plausible entries): the disk is one file system.</summary>
    FileSystemBootSector,

    /// <summary>The signature is there but the entries are nonsense.</summary>
    Implausible,

    /// <summary>A DOS partition table.</summary>
    Mbr,

    /// <summary>A protective (or hybrid) MBR: a GPT follows.</summary>
    ProtectiveMbr,
}
