namespace Sms.Discovery.Partitions;

/// <summary>A GPT header as stored at LBA 1 (primary) or the last LBA (backup); LBAs in logical sectors.</summary>
/// <param name="Revision">The revision, 0x00010000 for GPT 1.0.</param>
/// <param name="HeaderSize">The bytes the header CRC covers (92 usually).</param>
/// <param name="HeaderCrc32">The CRC32 of the header with this field zeroed.</param>
/// <param name="MyLba">Where this header is.</param>
/// <param name="AlternateLba">Where the other header is.</param>
/// <param name="FirstUsableLba">The first LBA a partition may use.</param>
/// <param name="LastUsableLba">The last LBA a partition may use (inclusive).</param>
/// <param name="DiskGuid">The disk GUID.</param>
/// <param name="EntriesLba">Where the partition entry array starts.</param>
/// <param name="EntryCount">The number of entries in the array (128 usually).</param>
/// <param name="EntrySize">The size of one entry (128 usually).</param>
/// <param name="EntriesCrc32">The CRC32 of the whole entry array.</param>
internal readonly record struct GptHeader(
    uint Revision,
    int HeaderSize,
    uint HeaderCrc32,
    long MyLba,
    long AlternateLba,
    long FirstUsableLba,
    long LastUsableLba,
    Guid DiskGuid,
    long EntriesLba,
    int EntryCount,
    int EntrySize,
    uint EntriesCrc32)
{
    /// <summary>Gets the length of the entry array in bytes.</summary>
    public int EntriesLength => EntryCount * EntrySize;

    /// <summary>The number of logical sectors the entry array occupies.</summary>
    /// <param name="lbaSize">The logical sector size.</param>
    /// <returns>The sector count, rounded up.</returns>
    public long EntriesSectors(int lbaSize) => (EntriesLength + (long)lbaSize - 1) / lbaSize;
}
