namespace Sms.Discovery.FileSystems.Fat;

/// <summary>The width of a FAT entry, which the cluster count decides.</summary>
internal enum FatType
{
    /// <summary>12-bit entries, packed two in three bytes; fewer than 4085 clusters.</summary>
    Fat12 = 12,

    /// <summary>16-bit entries; fewer than 65525 clusters.</summary>
    Fat16 = 16,

    /// <summary>32-bit entries of which the low 28 bits count.</summary>
    Fat32 = 32,
}
