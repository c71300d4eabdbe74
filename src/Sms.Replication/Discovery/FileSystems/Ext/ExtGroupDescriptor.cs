using System.Buffers.Binary;

namespace Sms.Discovery.FileSystems.Ext;

/// <summary>The parts of one group descriptor the allocation map needs.</summary>
/// <param name="BlockBitmap">The block of the group's block bitmap.</param>
/// <param name="InodeBitmap">The block of the group's inode bitmap.</param>
/// <param name="InodeTable">The first block of the group's inode table.</param>
/// <param name="Flags">bg_flags (INODE_UNINIT, BLOCK_UNINIT, ITABLE_ZEROED).</param>
/// <param name="BlockBitmapChecksum">bg_block_bitmap_csum (the high half only in descriptors of 64 bytes or more).</param>
internal readonly record struct ExtGroupDescriptor(long BlockBitmap, long InodeBitmap, long InodeTable, ushort Flags, uint BlockBitmapChecksum)
{
    /// <summary>EXT4_BG_BLOCK_UNINIT: the block bitmap was never written; it is computed.</summary>
    public const ushort BlockUninit = 0x0002;

    /// <summary>The descriptor size from which bg_block_bitmap_csum_hi is there (EXT4_BG_BLOCK_BITMAP_CSUM_HI_END).</summary>
    public const int WideChecksumSize = 0x3A;

    /*  struct ext4_group_desc (32 bytes, 64 or more with INCOMPAT_64BIT; offsets in hex)
        00 bg_block_bitmap_lo   04 bg_inode_bitmap_lo   08 bg_inode_table_lo   12 bg_flags (16)
        18 bg_block_bitmap_csum_lo (16)                 1E bg_checksum (16)
        20 bg_block_bitmap_hi   24 bg_inode_bitmap_hi   28 bg_inode_table_hi   38 bg_block_bitmap_csum_hi (16) */
    private const int BlockBitmapAt = 0x00;
    private const int InodeBitmapAt = 0x04;
    private const int InodeTableAt = 0x08;
    private const int FlagsAt = 0x12;
    private const int HighHalfAt = 0x20;
    private const int BitmapChecksumLoAt = 0x18;
    private const int BitmapChecksumHiAt = 0x38;

    /// <summary>Parses one descriptor.</summary>
    /// <param name="raw">The descriptor: 32 bytes, or at least 64 when <paramref name="wide"/> (s_desc_size bytes).</param>
    /// <param name="wide">Whether the file system is 64-bit (the high halves are used).</param>
    /// <returns>The descriptor.</returns>
    public static ExtGroupDescriptor Parse(ReadOnlySpan<byte> raw, bool wide)
    {
        var blockBitmap = Location(raw, BlockBitmapAt, wide);
        var inodeBitmap = Location(raw, InodeBitmapAt, wide);
        var inodeTable = Location(raw, InodeTableAt, wide);
        uint checksum = BinaryPrimitives.ReadUInt16LittleEndian(raw[BitmapChecksumLoAt..]);
        if (raw.Length >= WideChecksumSize)
        {
            checksum |= (uint)BinaryPrimitives.ReadUInt16LittleEndian(raw[BitmapChecksumHiAt..]) << 16;
        }

        return new ExtGroupDescriptor(blockBitmap, inodeBitmap, inodeTable, BinaryPrimitives.ReadUInt16LittleEndian(raw[FlagsAt..]), checksum);
    }

    private static long Location(ReadOnlySpan<byte> raw, int at, bool wide)
    {
        long low = BinaryPrimitives.ReadUInt32LittleEndian(raw[at..]);
        if (!wide)
        {
            return low;
        }

        var high = BinaryPrimitives.ReadUInt32LittleEndian(raw[(at + HighHalfAt)..]);

        // Beyond 2^63 no file system reaches: keep it positive and out of range, so the checks reject it.
        return high > int.MaxValue ? long.MaxValue : low | ((long)high << 32);
    }
}
