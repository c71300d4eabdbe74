using System.Buffers.Binary;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sms.Discovery;
using Sms.Discovery.FileSystems.Btrfs;
using Sms.Replication.Tests.Discovery.Fat;

namespace Sms.Replication.Tests.Discovery.Btrfs;

public sealed class BtrfsReaderTests : IDisposable
{
    private const string Package = "btrfs-progs";
    private const string Uuid = "0b5e1c3a-7d2f-4e6b-9a81-2c4d6e8f0a1b";
    private static readonly BtrfsFileSystemReader Reader = new();
    private readonly ScratchDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private string MakeImage()
    {
        var path = _directory.SparseImage("btrfs.img", 128L << 20);
        DiskTool.RunChecked("mkfs.btrfs", Package, "-q", "-f", "-L", "blbl", "-U", Uuid, path);
        return path;
    }

    [Fact]
    public async Task ProbeAsync_MkfsBtrfsImage_LabelUuidAndSizeAsBlkid()
    {
        // Given
        var path = MakeImage();
        var blkidUuid = DiskTool.RunChecked("blkid", "util-linux", "-p", "-o", "value", "-s", "UUID", path).Trim();
        var blkidBlockSize = DiskTool.RunChecked("blkid", "util-linux", "-p", "-o", "value", "-s", "BLOCK_SIZE", path).Trim();
        await using var disk = Sms.Blocks.FileBlockSource.Open(path);

        // When
        var description = await Reader.ProbeAsync(disk, 0, disk.Length);

        // Then
        Assert.NotNull(description);
        Assert.Equal(FileSystemKind.Btrfs, description.Kind);
        Assert.Equal("blbl", description.Label);
        Assert.Equal(Uuid, description.Uuid);
        Assert.Equal(blkidUuid, description.Uuid);
        Assert.Equal(blkidBlockSize, description.BlockSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(128L << 20, description.TotalBytes);
        Assert.Null(description.UsedBytes);
        Assert.Equal("btrfs allocation maps are not read: the whole partition is replicated", description.Note);
    }

    [Fact]
    public async Task GetAllocatedRangesAsync_MkfsBtrfsImage_NullSoTheWholePartitionIsKept()
    {
        // Given
        var path = MakeImage();
        await using var disk = Sms.Blocks.FileBlockSource.Open(path);
        var description = await Reader.ProbeAsync(disk, 0, disk.Length);

        // When
        var ranges = await Reader.GetAllocatedRangesAsync(disk, 0, disk.Length, description!);

        // Then
        Assert.Null(ranges);
    }

    [Fact]
    public void TryParse_MkfsBtrfsSuperblock_BytesUsedBelowTotal()
    {
        // Given
        var block = File.ReadAllBytes(MakeImage()).AsSpan((int)BtrfsSuperblock.Offset, BtrfsSuperblock.Size).ToArray();

        // When
        var parsed = BtrfsSuperblock.TryParse(block, out var superblock);

        // Then
        Assert.True(parsed);
        Assert.InRange(superblock!.BytesUsed, 1, superblock.TotalBytes);
        Assert.Equal(4096, superblock.SectorSize);
    }

    [Fact]
    public void TryParse_CorruptedSuperblock_ChecksumRejectsIt_UntilResealed()
    {
        // Given: a changed label breaks the crc32c; recomputing it makes the block valid again.
        var block = File.ReadAllBytes(MakeImage()).AsSpan((int)BtrfsSuperblock.Offset, BtrfsSuperblock.Size).ToArray();
        Encoding.ASCII.GetBytes("other").CopyTo(block, 0x12B);

        // When
        var corrupt = BtrfsSuperblock.TryParse(block, out _);
        BinaryPrimitives.WriteUInt32LittleEndian(block, BtrfsSuperblock.Crc32C(block.AsSpan(0x20, 0x1000 - 0x20)));
        var resealed = BtrfsSuperblock.TryParse(block, out var superblock);

        // Then
        Assert.False(corrupt);
        Assert.True(resealed);
        Assert.Equal("other", superblock!.Label);
    }

    [Fact]
    public void Crc32C_CheckValue_MatchesCastagnoli()
    {
        // Given, When, Then: the standard check value of "123456789".
        Assert.Equal(0xE3069283u, BtrfsSuperblock.Crc32C("123456789"u8));
    }

    [Fact]
    public async Task ProbeAsync_PartitionShorterThanSuperblock_Null()
    {
        // Given
        var image = File.ReadAllBytes(MakeImage());
        var disk = new MemoryDisk(image);

        // When
        var description = await Reader.ProbeAsync(disk, 0, BtrfsSuperblock.Offset + 100);

        // Then
        Assert.Null(description);
    }

    public static Arbitrary<byte[]> Disks() => Arb.From(ReaderFuzz.RandomDisks);

    [Property(MaxTest = 300, Arbitrary = [typeof(BtrfsReaderTests)])]
    public void ProbeAsync_RandomBytes_NeverThrows(byte[] disk)
    {
        ReaderFuzz.ProbeAndMap(Reader, disk);
    }
}
