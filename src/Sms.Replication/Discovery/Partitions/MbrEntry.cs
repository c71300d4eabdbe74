namespace Sms.Discovery.Partitions;

/// <summary>One 16-byte partition entry of an MBR or EBR, as stored (LBAs in the disk's logical sectors).</summary>
/// <param name="Status">The status byte: 0x80 bootable, 0x00 not; anything else is not a valid entry.</param>
/// <param name="Type">The partition type byte; 0 marks an unused entry.</param>
/// <param name="FirstLba">The first sector (absolute in the MBR, relative in an EBR).</param>
/// <param name="SectorCount">The number of sectors; 0 marks an unused entry.</param>
internal readonly record struct MbrEntry(byte Status, byte Type, uint FirstLba, uint SectorCount)
{
    /// <summary>The status byte of a bootable partition.</summary>
    public const byte BootableStatus = 0x80;

    /// <summary>The type byte of a GPT protective partition.</summary>
    public const byte GptProtectiveType = 0xee;

    /// <summary>Gets whether the entry describes a partition (a non-zero type and a non-zero size).</summary>
    public bool IsUsed => Type != 0 && SectorCount != 0;

    /// <summary>Gets whether the boot flag is set.</summary>
    public bool IsBootable => Status == BootableStatus;

    /// <summary>Gets whether the status byte is one of the two valid values.</summary>
    public bool HasValidStatus => Status is 0 or BootableStatus;

    /// <summary>Gets whether the entry is an extended partition (DOS 0x05, Windows LBA 0x0f, Linux 0x85).</summary>
    public bool IsExtended => Type is 0x05 or 0x0f or 0x85;

    /// <summary>Gets whether the entry is the 0xee partition of a protective (or hybrid) MBR.</summary>
    public bool IsGptProtective => Type == GptProtectiveType;

    /// <summary>Gets the first sector after the partition.</summary>
    public ulong EndLba => (ulong)FirstLba + SectorCount;

    /// <summary>Gets the type as the reader reports it: <c>0x</c> and two lowercase hex digits.</summary>
    public string TypeText => FormatType(Type);

    /// <summary>Formats a type byte as <c>0x83</c>.</summary>
    /// <param name="type">The type byte.</param>
    /// <returns>The text.</returns>
    public static string FormatType(byte type) => "0x" + type.ToString("x2", System.Globalization.CultureInfo.InvariantCulture);
}
