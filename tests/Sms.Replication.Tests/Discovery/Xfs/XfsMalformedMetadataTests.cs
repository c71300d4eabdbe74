using System.Buffers.Binary;
using FsCheck;
using FsCheck.Xunit;
using Sms.Blocks;
using Sms.Discovery;
using Sms.Discovery.FileSystems.Xfs;

namespace Sms.Replication.Tests.Discovery.Xfs;

/// <summary>Damaged AGFs and bno b+tree blocks (laid over real images): the map gives up with a note, never throws.</summary>
public sealed class XfsMalformedMetadataTests(XfsFragmentedImages images) : IClassFixture<XfsFragmentedImages>
{
    private const int AgfLevelOffset = 28;
    private const int AgfFreeBlocksOffset = 52;
    private const int AgfCrcOffset = 216;
    private const int BtreeCrcOffset = 52;
    private const int SuperblockCrcOffset = 224;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadAllocationMapAsync_UndamagedFragmentedImage_ReturnsMap(bool v5)
    {
        // Given
        var image = images.Get(v5);
        if (image is null)
        {
            return; // no v4 support in this mkfs.xfs
        }

        // When
        var map = await image.MapAsync(null);

        // Then
        Assert.True(map.AllocatedRanges is not null, map.Note);
        AssertSane(image, map);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadAllocationMapAsync_BtreeBlockWithBadMagic_ReturnsNullWithNote(bool v5)
        => await AssertRejectedAsync(v5, "bad magic", image => PatchBlock(image, image.BnoRoot, block => block[0] ^= 0xFF));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadAllocationMapAsync_PointerPastTheAg_ReturnsNullWithNote(bool v5)
        => await AssertRejectedAsync(v5, "points outside the AG", image => PatchPointer(image, 0, (uint)image.AgBlocks + 5));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadAllocationMapAsync_PointerIntoAgHeaders_ReturnsNullWithNote(bool v5)
        => await AssertRejectedAsync(v5, "points outside the AG", image => PatchPointer(image, 0, 0));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadAllocationMapAsync_TwoPointersToOneLeaf_ReturnsNullWithNote(bool v5)
        => await AssertRejectedAsync(v5, "twice (a cycle)", image => PatchPointer(image, 1, image.Leaves[0]));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadAllocationMapAsync_PointerBackToTheRoot_ReturnsNullWithNote(bool v5)
        => await AssertRejectedAsync(v5, "twice (a cycle)", image => PatchPointer(image, 0, image.BnoRoot));

    [Theory]
    [InlineData(true, 11u)]
    [InlineData(false, 11u)]
    [InlineData(true, 0u)]
    [InlineData(false, 1000u)]
    public async Task ReadAllocationMapAsync_AgfDepthOutOfRange_ReturnsNullWithNote(bool v5, uint levels)
        => await AssertRejectedAsync(v5, "depth", image => PatchAgf(image, agf => BinaryPrimitives.WriteUInt32BigEndian(agf.AsSpan(AgfLevelOffset), levels)));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadAllocationMapAsync_AgfDeeperThanTheTree_ReturnsNullWithNote(bool v5)
        => await AssertRejectedAsync(v5, "expected 2", image => PatchAgf(image, agf => BinaryPrimitives.WriteUInt32BigEndian(agf.AsSpan(AgfLevelOffset), 3)));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadAllocationMapAsync_FreeBlocksDisagreeWithAgf_ReturnsNullWithNote(bool v5)
        => await AssertRejectedAsync(v5, "agf_freeblks", image => PatchAgf(image, agf =>
        {
            var free = BinaryPrimitives.ReadUInt32BigEndian(agf.AsSpan(AgfFreeBlocksOffset));
            BinaryPrimitives.WriteUInt32BigEndian(agf.AsSpan(AgfFreeBlocksOffset), free - 1);
        }));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadAllocationMapAsync_OverlappingLeafRecords_ReturnsNullWithNote(bool v5)
        => await AssertRejectedAsync(v5, "overlapping", image => PatchBlock(image, image.Leaves[0], leaf =>
            leaf.AsSpan(image.HeaderLength, 8).CopyTo(leaf.AsSpan(image.HeaderLength + 8))));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadAllocationMapAsync_LeafClaimingToBeANode_ReturnsNullWithNote(bool v5)
        => await AssertRejectedAsync(v5, "at level 1, expected 0", image => PatchBlock(image, image.Leaves[0], leaf =>
            BinaryPrimitives.WriteUInt16BigEndian(leaf.AsSpan(4), 1)));

    [Fact]
    public async Task ReadAllocationMapAsync_V5BlockWithStaleCrc_ReturnsNullWithNote()
        => await AssertRejectedAsync(true, "fails its CRC", image => PatchBlock(image, image.Leaves[^1], leaf => leaf[^1] ^= 1, fixCrc: false));

    [Fact]
    public async Task ReadAllocationMapAsync_V5BlockFromAnotherAg_ReturnsNullWithNote()
        => await AssertRejectedAsync(true, "does not belong there", image => PatchBlock(image, image.Leaves[0], leaf =>
            BinaryPrimitives.WriteUInt32BigEndian(leaf.AsSpan(48), 1)));

    [Theory]
    [InlineData(true, 216, 0x10u, "needing xfs_repair")]
    [InlineData(true, 216, 0x400u, "not understood")]
    [InlineData(true, 88, 0u, "geometry is invalid")]
    [InlineData(false, 88, 0u, "geometry is invalid")]
    [InlineData(true, 4, 3000u, "block size 3000")]
    [InlineData(false, 84, 100u, "does not fit")]
    public async Task ProbeAsync_DamagedSuperblock_DescribesXfsWithNoteAndNoMap(bool v5, int fieldOffset, uint value, string expectedNote)
    {
        // Given: one 32-bit superblock field changed (the CRC recomputed)
        var image = images.Get(v5);
        if (image is null)
        {
            return; // no v4 support in this mkfs.xfs
        }

        var sector = image.Read(0, image.SectorSize);
        BinaryPrimitives.WriteUInt32BigEndian(sector.AsSpan(fieldOffset), fieldOffset == 216 ? BinaryPrimitives.ReadUInt32BigEndian(sector.AsSpan(216)) | value : value);
        image.FixCrc(sector, SuperblockCrcOffset);
        await using var file = FileBlockSource.Open(image.Path);
        var disk = new PatchedSource(file).Patch(0, sector);
        var reader = new XfsFileSystemReader();

        // When
        var description = await reader.ProbeAsync(disk, 0, disk.Length);
        var ranges = await reader.GetAllocatedRangesAsync(disk, 0, disk.Length, description!);

        // Then
        Assert.NotNull(description);
        Assert.Equal(FileSystemKind.Xfs, description.Kind);
        Assert.Null(description.UsedBytes);
        Assert.Contains(expectedNote, description.Note, StringComparison.Ordinal);
        Assert.Null(ranges);
    }

    [Fact]
    public async Task ProbeAsync_V5SuperblockWithStaleCrc_NotesItAndMapsNothing()
    {
        // Given
        var sector = images.V5.Read(0, images.V5.SectorSize);
        sector[108] ^= 0x20; // the label
        await using var file = FileBlockSource.Open(images.V5.Path);
        var disk = new PatchedSource(file).Patch(0, sector);
        var reader = new XfsFileSystemReader();

        // When
        var description = await reader.ProbeAsync(disk, 0, disk.Length);

        // Then
        Assert.Contains("superblock fails its CRC", description?.Note, StringComparison.Ordinal);
        Assert.Null(await reader.GetAllocatedRangesAsync(disk, 0, disk.Length, description!));
    }

    [Property(MaxTest = 150)]
    public void ProbeAsync_ScatteredGarbageInSuperblock_NeverThrowsAndNeverMapsPastTheFileSystem(int seed, bool v5, PositiveInt writes)
    {
        // Given: random bytes behind the magic (CRC recomputed for v5)
        var image = images.Get(v5) ?? images.V5;
        var random = new Random(seed);
        var sector = image.Read(0, image.SectorSize);
        for (var i = 0; i < Math.Min(writes.Get, 8); i++)
        {
            sector[random.Next(4, 264)] = (byte)random.Next(256);
        }

        image.FixCrc(sector, SuperblockCrcOffset);

        // When
        var (description, ranges) = ProbeAndMapAsync(image, sector).GetAwaiter().GetResult();

        // Then
        Assert.NotNull(description);
        if (ranges is null)
        {
            return;
        }

        Assert.NotNull(description.UsedBytes);
        Assert.Equal(description.UsedBytes, BlockRanges.TotalLength(ranges));
        Assert.Equal(BlockRanges.Coalesce(ranges), ranges);
        Assert.True(ranges[^1].End <= description.TotalBytes && description.TotalBytes <= image.DataBlocks * image.BlockSize * 2);
    }

    [Property(MaxTest = 60)]
    public void ReadAllocationMapAsync_WholeBlockOfGarbage_ReturnsNullWithNote(int seed, bool v5, byte target)
    {
        // Given: random bytes instead of an AGF, the bno root or a bno leaf
        var image = images.Get(v5) ?? images.V5;
        var random = new Random(seed);
        var (offset, length) = (target % 3) switch
        {
            0 => (image.AgfOffset(random.Next(image.AgCount)), image.SectorSize),
            1 => (image.BlockOffset(0, image.BnoRoot), image.BlockSize),
            _ => (image.BlockOffset(0, image.Leaves[random.Next(image.Leaves.Count)]), image.BlockSize),
        };
        var garbage = new byte[length];
        random.NextBytes(garbage);

        // When
        var map = image.MapAsync(disk => disk.Patch(offset, garbage)).GetAwaiter().GetResult();

        // Then
        Assert.Null(map.AllocatedRanges);
        Assert.False(string.IsNullOrEmpty(map.Note));
    }

    [Property(MaxTest = 200)]
    public void ReadAllocationMapAsync_ScatteredGarbageBehindValidMagicAndCrc_NeverThrowsAndStaysSane(int seed, bool v5, byte target, PositiveInt writes)
    {
        // Given: a few random bytes written into an AGF or a bno block, the magic kept and (v5) the CRC recomputed,
        // so that the checks past them run
        var image = images.Get(v5) ?? images.V5;
        var random = new Random(seed);
        var agf = target % 3 == 0;
        var offset = agf ? image.AgfOffset(0) : image.BlockOffset(0, target % 3 == 1 ? image.BnoRoot : image.Leaves[random.Next(image.Leaves.Count)]);
        var bytes = image.Read(offset, agf ? image.SectorSize : image.BlockSize);
        var limit = agf ? 64 : bytes.Length;
        for (var i = 0; i < Math.Min(writes.Get, 16); i++)
        {
            bytes[random.Next(4, limit)] = (byte)random.Next(256);
        }

        image.FixCrc(bytes, agf ? AgfCrcOffset : BtreeCrcOffset);

        // When
        var map = image.MapAsync(disk => disk.Patch(offset, bytes)).GetAwaiter().GetResult();

        // Then
        if (map.AllocatedRanges is null)
        {
            Assert.False(string.IsNullOrEmpty(map.Note));
        }
        else
        {
            AssertSane(image, map);
        }
    }

    /// <summary>Ascending, coalesced, inside the file system, covering every AG's headers, totals consistent.</summary>
    private static void AssertSane(XfsFragmentedImage image, XfsAllocationMap map)
    {
        var ranges = map.AllocatedRanges!;
        var total = image.DataBlocks * image.BlockSize;
        for (var i = 0; i < ranges.Count; i++)
        {
            Assert.True(ranges[i].Length > 0 && ranges[i].End <= total);
            Assert.True(i == 0 || ranges[i].Offset > ranges[i - 1].End);
        }

        for (var ag = 0; ag < image.AgCount; ag++)
        {
            var headers = new BlockRange(image.BlockOffset(ag, 0), 4L * image.SectorSize);
            Assert.Equal([headers], BlockRanges.Intersect(ranges, [headers]));
        }

        Assert.Equal((image.DataBlocks - map.FreeBlocks) * image.BlockSize, BlockRanges.TotalLength(ranges));
    }

    private static async Task<(FileSystemDescription? Description, IReadOnlyList<BlockRange>? Ranges)> ProbeAndMapAsync(XfsFragmentedImage image, byte[] superblock)
    {
        await using var file = FileBlockSource.Open(image.Path);
        var disk = new PatchedSource(file).Patch(0, superblock);
        var reader = new XfsFileSystemReader();
        var description = await reader.ProbeAsync(disk, 0, disk.Length);
        return (description, description is null ? null : await reader.GetAllocatedRangesAsync(disk, 0, disk.Length, description));
    }

    private static Action<PatchedSource> PatchBlock(XfsFragmentedImage image, uint agBlock, Action<byte[]> mutate, bool fixCrc = true)
    {
        var offset = image.BlockOffset(0, agBlock);
        var bytes = image.Read(offset, image.BlockSize);
        mutate(bytes);
        if (fixCrc)
        {
            image.FixCrc(bytes, BtreeCrcOffset);
        }

        return disk => disk.Patch(offset, bytes);
    }

    private static Action<PatchedSource> PatchPointer(XfsFragmentedImage image, int index, uint value)
        => PatchBlock(image, image.BnoRoot, root =>
            BinaryPrimitives.WriteUInt32BigEndian(root.AsSpan(image.HeaderLength + (image.NodeCapacity * 8) + (index * 4)), value));

    private static Action<PatchedSource> PatchAgf(XfsFragmentedImage image, Action<byte[]> mutate)
    {
        var offset = image.AgfOffset(0);
        var bytes = image.Read(offset, image.SectorSize);
        mutate(bytes);
        image.FixCrc(bytes, AgfCrcOffset);
        return disk => disk.Patch(offset, bytes);
    }

    private async Task AssertRejectedAsync(bool v5, string expectedNote, Func<XfsFragmentedImage, Action<PatchedSource>> damage)
    {
        // Given
        var image = images.Get(v5);
        if (image is null)
        {
            return; // no v4 support in this mkfs.xfs
        }

        var patch = damage(image);

        // When
        var map = await image.MapAsync(patch);

        // Then
        Assert.Null(map.AllocatedRanges);
        Assert.Contains(expectedNote, map.Note, StringComparison.Ordinal);
    }
}
