namespace Sms.Discovery.Partitions;

/// <summary>
/// Recognises the boot sectors of file systems that, like an MBR, end in 0x55AA: NTFS and exFAT by the OEM id at
/// offset 3, FAT by the file-system-type text of its BPB (offset 0x36 for FAT12/16, 0x52 for FAT32).
/// </summary>
internal static class FileSystemBootSector
{
    private const int OemIdOffset = 3;
    private const int Fat16TypeOffset = 0x36;
    private const int Fat32TypeOffset = 0x52;

    /// <summary>Whether the sector is an NTFS boot sector ("NTFS    " at offset 3).</summary>
    /// <param name="sector">At least 512 bytes of sector 0.</param>
    /// <returns><see langword="true"/> for NTFS.</returns>
    public static bool IsNtfs(ReadOnlySpan<byte> sector) => sector.Length >= 11 && sector.Slice(OemIdOffset, 8).SequenceEqual("NTFS    "u8);

    /// <summary>Whether the sector is an exFAT boot sector ("EXFAT   " at offset 3).</summary>
    /// <param name="sector">At least 512 bytes of sector 0.</param>
    /// <returns><see langword="true"/> for exFAT.</returns>
    public static bool IsExFat(ReadOnlySpan<byte> sector) => sector.Length >= 11 && sector.Slice(OemIdOffset, 8).SequenceEqual("EXFAT   "u8);

    /// <summary>Whether the sector carries a FAT BPB ("FAT" at offset 0x36 or 0x52).</summary>
    /// <param name="sector">At least 512 bytes of sector 0.</param>
    /// <returns><see langword="true"/> when it looks like FAT.</returns>
    public static bool IsFat(ReadOnlySpan<byte> sector)
        => sector.Length > Fat32TypeOffset + 3
           && (sector.Slice(Fat16TypeOffset, 3).SequenceEqual("FAT"u8) || sector.Slice(Fat32TypeOffset, 3).SequenceEqual("FAT"u8));
}
