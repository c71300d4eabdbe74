using System.Buffers.Binary;

namespace Sms.Discovery.FileSystems.Xfs;

/// <summary>
/// A block of the by-block-number free-space b+tree ("bno" btree), with the short-form (AG-relative) header.
/// <code>
/// v4 header, 16 bytes:  0 magic "ABTB"  4 level (u16)  6 numrecs (u16)  8 leftsib  12 rightsib
/// v5 header, 56 bytes:  0 magic "AB3B"  4 level  6 numrecs  8 leftsib  12 rightsib
///                      16 blkno (u64, the block's own 512-byte sector address)  24 lsn (u64)
///                      32 uuid[16]  48 owner (AG number)  52 crc (le32)
/// leaf (level 0):   header, then numrecs records [startblock u32, blockcount u32]
/// node (level > 0): header, then maxrecs keys [startblock, blockcount], then maxrecs pointers (u32 AG block),
///                   maxrecs = (blocksize - header) / 12; only the first numrecs of each are in use
/// </code>
/// </summary>
internal static class XfsAllocBtreeBlock
{
    /// <summary>"ABTB": v4 by-block-number free-space b+tree block.</summary>
    public const uint MagicV4 = 0x41425442;

    /// <summary>"AB3B": v5 (CRC) by-block-number free-space b+tree block.</summary>
    public const uint MagicV5 = 0x41423342;

    /// <summary>The v4 short-form header.</summary>
    public const int HeaderLengthV4 = 16;

    /// <summary>The v5 short-form header (with blkno, lsn, uuid, owner and crc).</summary>
    public const int HeaderLengthV5 = 56;

    private const int LevelOffset = 4;
    private const int RecordCountOffset = 6;
    private const int BlockNumberOffset = 16;
    private const int UuidOffset = 32;
    private const int OwnerOffset = 48;
    private const int CrcOffset = 52;
    private const int RecordLength = 8;
    private const int KeyLength = 8;
    private const int PointerLength = 4;

    /// <summary>The header length for this file system's version.</summary>
    /// <param name="superblock">The superblock.</param>
    /// <returns>16 or 56.</returns>
    public static int HeaderLength(in XfsSuperblock superblock) => superblock.HasCrc ? HeaderLengthV5 : HeaderLengthV4;

    /// <summary>How many (startblock, blockcount) records a leaf holds at most.</summary>
    /// <param name="superblock">The superblock.</param>
    /// <returns>The leaf capacity.</returns>
    public static int LeafCapacity(in XfsSuperblock superblock) => ((int)superblock.BlockSize - HeaderLength(superblock)) / RecordLength;

    /// <summary>How many key/pointer pairs a node holds at most (where its pointer array starts).</summary>
    /// <param name="superblock">The superblock.</param>
    /// <returns>The node capacity.</returns>
    public static int NodeCapacity(in XfsSuperblock superblock) => ((int)superblock.BlockSize - HeaderLength(superblock)) / (KeyLength + PointerLength);

    /// <summary>Checks a block's header against where it was found and what level it should be.</summary>
    /// <param name="block">The whole block.</param>
    /// <param name="superblock">The superblock.</param>
    /// <param name="agNumber">Its AG.</param>
    /// <param name="agBlock">Its AG block.</param>
    /// <param name="expectedLevel">The level its parent (or the AGF) implies.</param>
    /// <param name="isRoot">Whether this is the root (the only block allowed to be empty).</param>
    /// <param name="recordCount">numrecs, when valid.</param>
    /// <returns>What is wrong, or <see langword="null"/>.</returns>
    public static string? CheckHeader(ReadOnlySpan<byte> block, in XfsSuperblock superblock, uint agNumber, uint agBlock, int expectedLevel, bool isRoot, out int recordCount)
    {
        recordCount = 0;
        var magic = BinaryPrimitives.ReadUInt32BigEndian(block);
        if (magic != (superblock.HasCrc ? MagicV5 : MagicV4))
        {
            return $"free-space b+tree block {agNumber}/{agBlock} has a bad magic number 0x{magic:x8}";
        }

        if (superblock.HasCrc)
        {
            if (!XfsChecksum.Verify(block, CrcOffset))
            {
                return $"free-space b+tree block {agNumber}/{agBlock} fails its CRC";
            }

            var sectorAddress = superblock.ByteOffset(agNumber, agBlock) >> 9;
            if (BinaryPrimitives.ReadUInt64BigEndian(block[BlockNumberOffset..]) != (ulong)sectorAddress
                || BinaryPrimitives.ReadUInt32BigEndian(block[OwnerOffset..]) != agNumber
                || new Guid(block.Slice(UuidOffset, 16), bigEndian: true) != superblock.MetadataUuid)
            {
                return $"free-space b+tree block {agNumber}/{agBlock} does not belong there (blkno, owner or UUID)";
            }
        }

        var level = BinaryPrimitives.ReadUInt16BigEndian(block[LevelOffset..]);
        if (level != expectedLevel)
        {
            return $"free-space b+tree block {agNumber}/{agBlock} is at level {level}, expected {expectedLevel}";
        }

        recordCount = BinaryPrimitives.ReadUInt16BigEndian(block[RecordCountOffset..]);
        var capacity = level == 0 ? LeafCapacity(superblock) : NodeCapacity(superblock);
        if (recordCount > capacity || (recordCount == 0 && (!isRoot || level > 0)))
        {
            return $"free-space b+tree block {agNumber}/{agBlock} has {recordCount} records (capacity {capacity})";
        }

        return null;
    }

    /// <summary>Leaf record <paramref name="index"/>: a free extent.</summary>
    /// <param name="block">The leaf.</param>
    /// <param name="headerLength">The header length.</param>
    /// <param name="index">The record, below numrecs.</param>
    /// <returns>The extent.</returns>
    public static XfsExtent Record(ReadOnlySpan<byte> block, int headerLength, int index)
    {
        var at = headerLength + (index * RecordLength);
        return new XfsExtent(BinaryPrimitives.ReadUInt32BigEndian(block[at..]), BinaryPrimitives.ReadUInt32BigEndian(block[(at + 4)..]));
    }

    /// <summary>Node pointer <paramref name="index"/>: a child's AG block.</summary>
    /// <param name="block">The node.</param>
    /// <param name="headerLength">The header length.</param>
    /// <param name="nodeCapacity">The node capacity (the pointer array follows that many keys).</param>
    /// <param name="index">The pointer, below numrecs.</param>
    /// <returns>The child block.</returns>
    public static uint Pointer(ReadOnlySpan<byte> block, int headerLength, int nodeCapacity, int index)
        => BinaryPrimitives.ReadUInt32BigEndian(block[(headerLength + (nodeCapacity * KeyLength) + (index * PointerLength))..]);
}
