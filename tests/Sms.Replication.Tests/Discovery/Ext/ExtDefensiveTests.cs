using System.Buffers.Binary;
using Sms.Blocks;
using Sms.Discovery;
using Sms.Discovery.FileSystems.Ext;

namespace Sms.Replication.Tests.Discovery.Ext;

/// <summary>Whatever is not understood keeps the whole partition (a null map) and says why, without throwing.</summary>
public sealed class ExtDefensiveTests : IDisposable
{
    private const long MiB = 1 << 20;
    private const int SuperblockAt = 1024;
    private readonly ExtScratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Theory]
    [InlineData("mkfs.ext3")]
    [InlineData("mkfs.ext4")]
    public async Task ProbeAsync_JournalHoldsUnreplayedTransaction_NotesRecoveryAndMapIsNull(string tool)
    {
        // Given: a transaction written to the journal and not replayed (as after a crash)
        var image = _scratch.Make(tool, 32 * MiB);
        var blob = Path.Combine(_scratch.Root, "blob");
        await File.WriteAllBytesAsync(blob, new byte[8192]);
        E2fsTools.DebugfsWriteScript(image, "jo", $"jw -b 300,301 {blob}", "jc");
        Assert.Contains("needs_recovery", E2fsTools.Dumpe2fsHeader(image), StringComparison.Ordinal);

        // When
        var (description, ranges) = await ExtScratch.ReadAsync(image);

        // Then
        Assert.NotNull(description);
        Assert.Contains("journal needs recovery", description.Note, StringComparison.Ordinal);
        Assert.Null(description.UsedBytes);
        Assert.Null(ranges);
    }

    [Theory]
    [InlineData("mkfs.ext3")]
    [InlineData("mkfs.ext4")]
    public async Task GetAllocatedRangesAsync_NeedsRecoveryFlagButEmptyJournal_MapMatchesDumpe2fs(string tool)
    {
        // Given: what a mounted (or frozen, or snapshotted) ext3/ext4 looks like on disk; ext3's journal is block-mapped
        var image = _scratch.Make(tool, 32 * MiB);
        E2fsTools.DebugfsWrite(image, "feature needs_recovery");
        var report = Dumpe2fsReport.Parse(E2fsTools.Dumpe2fs(image));
        Assert.Contains("needs_recovery", report.Features);

        // When
        var (description, ranges) = await ExtScratch.ReadAsync(image);

        // Then
        Assert.Null(description?.Note);
        Assert.NotNull(ranges);
        Assert.Equal(report.BlockCount - report.FreeBlocks, BlockRanges.TotalLength(ranges) / report.BlockSize);
    }

    [Fact]
    public async Task GetAllocatedRangesAsync_NeedsRecoveryWithFragmentedJournal_FollowsExtentIndexToJournalSuperblock()
    {
        // Given: free space cut into 64-block holes, then a 1024-block journal, whose 17 extents need an index level
        var image = _scratch.Make("mkfs.ext4", 16 * MiB, "-b", "1024", "-O", "^has_journal");
        var filler = Path.Combine(_scratch.Root, "filler");
        var bytes = new byte[64 * 1024];
        new Random(5).NextBytes(bytes);
        await File.WriteAllBytesAsync(filler, bytes);
        var commands = new List<string>();
        for (var i = 0; i < 260; i++)
        {
            commands.Add($"write {filler} f{i}");
        }

        for (var i = 0; i < 260; i += 2)
        {
            commands.Add($"rm f{i}");
        }

        E2fsTools.DebugfsWriteScript(image, [.. commands]);
        E2fsTools.Run("tune2fs", ["-O", "has_journal", "-J", "size=1", image]);
        E2fsTools.DebugfsWrite(image, "feature needs_recovery");
        Assert.Contains(" 0/ 1 ", E2fsTools.Debugfs(image, "ex <8>"), StringComparison.Ordinal);
        var report = Dumpe2fsReport.Parse(E2fsTools.Dumpe2fsHeader(image));

        // When
        var (description, ranges) = await ExtScratch.ReadAsync(image);

        // Then
        Assert.Null(description?.Note);
        Assert.NotNull(ranges);
        Assert.Equal(report.BlockCount - report.FreeBlocks, BlockRanges.TotalLength(ranges) / report.BlockSize);
    }

    [Fact]
    public async Task ProbeAsync_RecordedErrors_NotesAndMapIsNull()
    {
        // Given
        var image = _scratch.Make("mkfs.ext4", 32 * MiB);
        E2fsTools.DebugfsWrite(image, "ssv state 3");

        // When
        var (description, ranges) = await ExtScratch.ReadAsync(image);

        // Then
        Assert.Contains("recorded errors", description?.Note, StringComparison.Ordinal);
        Assert.Null(ranges);
    }

    [Fact]
    public async Task ProbeAsync_Ext2NotCleanlyUnmounted_NotesAndMapIsNull()
    {
        // Given: ext2 has no journal to make up for bitmaps a crash left stale
        var image = _scratch.Make("mkfs.ext2", 32 * MiB);
        E2fsTools.DebugfsWrite(image, "ssv state 0");

        // When
        var (description, ranges) = await ExtScratch.ReadAsync(image);

        // Then
        Assert.Equal(FileSystemKind.Ext2, description?.Kind);
        Assert.Contains("not cleanly unmounted", description?.Note, StringComparison.Ordinal);
        Assert.Null(ranges);
    }

    [Theory]
    [InlineData(0x40000000u, "incompat:0x40000000")]
    [InlineData(0x00000001u, "compression")]
    public async Task ProbeAsync_IncompatFeatureNotUnderstood_NamesItAndMapIsNull(uint flag, string name)
    {
        // Given
        var image = _scratch.Make("mkfs.ext4", 32 * MiB);
        PatchSuperblockU32(image, 0x60, v => v | flag);

        // When
        var (description, ranges) = await ExtScratch.ReadAsync(image);

        // Then
        Assert.NotNull(description);
        Assert.Equal(FileSystemKind.Ext4, description.Kind);
        Assert.Contains(name, description.Note, StringComparison.Ordinal);
        Assert.Null(ranges);
    }

    [Fact]
    public async Task ProbeAsync_SuperblockChangedWithoutItsChecksum_NotesAndMapIsNull()
    {
        // Given: a field changed behind metadata_csum's back
        var image = _scratch.Make("mkfs.ext4", 32 * MiB);
        ExtScratch.Patch(image, SuperblockAt + 0x0C, [0x01, 0x02]);

        // When
        var (description, ranges) = await ExtScratch.ReadAsync(image);

        // Then
        Assert.Equal("the superblock checksum does not match", description?.Note);
        Assert.Null(ranges);
    }

    [Fact]
    public async Task ProbeAsync_RoCompatFeatureNotUnderstood_NamesItAndMapIsNull()
    {
        // Given
        var image = _scratch.Make("mkfs.ext4", 32 * MiB);
        PatchSuperblockU32(image, 0x64, v => v | 0x00800000u);

        // When
        var (description, ranges) = await ExtScratch.ReadAsync(image);

        // Then
        Assert.Contains("ro_compat:0x800000", description?.Note, StringComparison.Ordinal);
        Assert.Null(ranges);
    }

    [Fact]
    public async Task ProbeAsync_BlockBitmapOutsideFileSystem_NamesGroupAndMapIsNull()
    {
        // Given
        var image = _scratch.Make("mkfs.ext4", 64 * MiB, "-b", "1024");
        E2fsTools.DebugfsWriteScript(image, "set_bg 3 block_bitmap 99999999", "set_bg 3 checksum calc");

        // When
        var (description, ranges) = await ExtScratch.ReadAsync(image);

        // Then
        Assert.Contains("group 3: block bitmap at block 99999999", description?.Note, StringComparison.Ordinal);
        Assert.Null(ranges);
    }

    [Fact]
    public async Task ProbeAsync_InodeTableOutsideOwnGroupWithoutFlexBg_NotesAndMapIsNull()
    {
        // Given
        var image = _scratch.Make("mkfs.ext4", 64 * MiB, "-b", "1024", "-O", "^flex_bg");
        E2fsTools.DebugfsWriteScript(image, "set_bg 2 inode_table 300", "set_bg 2 checksum calc");

        // When
        var (description, ranges) = await ExtScratch.ReadAsync(image);

        // Then
        Assert.Contains("group 2: inode table at block 300", description?.Note, StringComparison.Ordinal);
        Assert.Null(ranges);
    }

    [Theory]
    [InlineData(64, "metadata_csum")]
    [InlineData(32, "^64bit,^metadata_csum,uninit_bg")]
    public async Task ProbeAsync_DescriptorChangedWithoutItsChecksum_NotesAndMapIsNull(int descriptorSize, string features)
    {
        // Given: group 1 claims BLOCK_UNINIT, but its crc32c (metadata_csum) or crc16 (uninit_bg) says otherwise
        var image = _scratch.Make("mkfs.ext4", 64 * MiB, "-b", "1024", "-O", features);
        var flagsAt = 2048 + descriptorSize + 0x12;
        var flags = ReadImage(image, flagsAt, 1);
        ExtScratch.Patch(image, flagsAt, [(byte)(flags[0] ^ 0x02)]);

        // When
        var (description, ranges) = await ExtScratch.ReadAsync(image);

        // Then
        Assert.Contains("group 1: the descriptor checksum does not match", description?.Note, StringComparison.Ordinal);
        Assert.Null(ranges);
    }

    [Fact]
    public async Task GetAllocatedRangesAsync_BitmapChangedWithoutItsChecksum_ReturnsNull()
    {
        // Given: bits of group 0's block bitmap cleared behind metadata_csum's back
        var image = _scratch.Make("mkfs.ext4", 64 * MiB, "-b", "1024");
        var bitmapBlock = BinaryPrimitives.ReadUInt32LittleEndian(ReadImage(image, 2048, 4));
        ExtScratch.Patch(image, (bitmapBlock * 1024L) + 16, new byte[4]);
        await using var disk = FileBlockSource.Open(image);

        // When
        var (description, ranges) = await ExtScratch.ReadAsync(disk, 0, disk.Length);
        var (_, problem) = await ExtFileSystemReader.ReadMapAsync(disk, 0, disk.Length, CancellationToken.None);

        // Then: the probe does not read bitmaps, so only the map knows
        Assert.Null(description?.Note);
        Assert.Null(ranges);
        Assert.Equal("group 0: the block bitmap checksum does not match", problem);
    }

    [Fact]
    public async Task ProbeAsync_FileSystemLargerThanPartition_NotesAndMapIsNull()
    {
        // Given
        var image = _scratch.Make("mkfs.ext4", 32 * MiB);
        await using var disk = FileBlockSource.Open(image);

        // When
        var (description, ranges) = await ExtScratch.ReadAsync(disk, 0, 16 * MiB);

        // Then
        Assert.Equal(32 * MiB, description?.TotalBytes);
        Assert.Contains("larger than its partition", description?.Note, StringComparison.Ordinal);
        Assert.Null(ranges);
    }

    [Fact]
    public async Task ProbeAsync_DiskEndsBeforeThePartition_NotesAndMapIsNull()
    {
        // Given: the caller says 16 MiB, the disk holds the first 256 KiB only
        var image = _scratch.Make("mkfs.ext4", 16 * MiB, "-b", "1024");
        var head = (await File.ReadAllBytesAsync(image))[..(256 * 1024)];
        var disk = new MemoryBlockSource(head);

        // When
        var (description, ranges) = await ExtScratch.ReadAsync(disk, 0, 16 * MiB);

        // Then
        Assert.Contains("larger than its partition", description?.Note, StringComparison.Ordinal);
        Assert.Null(ranges);
    }

    [Fact]
    public async Task ProbeAsync_InodeCountDoesNotMatchGroups_NotesAndMapIsNull()
    {
        // Given
        var image = _scratch.Make("mkfs.ext4", 32 * MiB);
        E2fsTools.DebugfsWrite(image, "ssv inodes_count 12345");

        // When
        var (description, ranges) = await ExtScratch.ReadAsync(image);

        // Then
        Assert.Contains("inode count 12345", description?.Note, StringComparison.Ordinal);
        Assert.Null(ranges);
    }

    [Fact]
    public async Task ProbeAsync_FirstMetaBgBeyondDescriptorTable_NotesAndMapIsNull()
    {
        // Given
        var image = _scratch.Make("mkfs.ext4", 64 * MiB, "-b", "1024", "-O", "meta_bg,^resize_inode");
        E2fsTools.DebugfsWrite(image, "ssv first_meta_bg 5000");

        // When
        var (description, ranges) = await ExtScratch.ReadAsync(image);

        // Then
        Assert.Contains("first meta block group 5000", description?.Note, StringComparison.Ordinal);
        Assert.Null(ranges);
    }

    [Fact]
    public async Task ProbeAsync_ExternalJournalDevice_NotesAndMapIsNull()
    {
        // Given
        var image = _scratch.Make("mke2fs", 16 * MiB, "-O", "journal_dev", "-b", "4096");

        // When
        var (description, ranges) = await ExtScratch.ReadAsync(image);

        // Then
        Assert.NotNull(description);
        Assert.Contains("journal_dev", description.Note, StringComparison.Ordinal);
        Assert.Null(ranges);
    }

    private static byte[] ReadImage(string image, long offset, int count)
    {
        var bytes = new byte[count];
        using var handle = File.OpenHandle(image, FileMode.Open, FileAccess.Read);
        RandomAccess.Read(handle, bytes, offset);
        return bytes;
    }

    /// <summary>Changes a superblock field and fixes s_checksum, so that only the field is wrong.</summary>
    private static void PatchSuperblockU32(string image, int field, Func<uint, uint> change)
    {
        var superblock = ReadImage(image, SuperblockAt, 1024);
        BinaryPrimitives.WriteUInt32LittleEndian(superblock.AsSpan(field), change(BinaryPrimitives.ReadUInt32LittleEndian(superblock.AsSpan(field))));
        ExtGarbage.FixSuperblockChecksum(superblock);
        ExtScratch.Patch(image, SuperblockAt, superblock);
    }
}
