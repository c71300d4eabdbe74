using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sms.Blocks;
using Sms.Discovery;
using Sms.Discovery.FileSystems.Swap;
using Sms.Replication.Tests.Discovery.Fat;

namespace Sms.Replication.Tests.Discovery.Swap;

public sealed class SwapReaderTests : IDisposable
{
    private const string Package = "util-linux";
    private const string Uuid = "01234567-89ab-cdef-0123-456789abcdef";
    private static readonly SwapFileSystemReader Reader = new();
    private readonly ScratchDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private string MakeSwap(int pageSize, params string[] options)
    {
        var path = _directory.SparseImage($"swap-{pageSize}.img", 8L << 20);
        DiskTool.RunChecked("mkswap", Package, [.. options, "-p", pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture), path]);
        return path;
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(65536)]
    public async Task ProbeAsync_MkswapImage_LabelUuidAsBlkidAndOnlyTheHeaderPage(int pageSize)
    {
        // Given
        var path = MakeSwap(pageSize, "-L", "swlbl", "-U", Uuid);
        var blkidLabel = DiskTool.RunChecked("blkid", Package, "-p", "-o", "value", "-s", "LABEL", path).Trim();
        var blkidUuid = DiskTool.RunChecked("blkid", Package, "-p", "-o", "value", "-s", "UUID", path).Trim();

        // When
        var (description, ranges) = await AllocatedImage.ReadAsync(Reader, path);

        // Then
        Assert.Equal(FileSystemKind.Swap, description.Kind);
        Assert.Equal("swlbl", description.Label);
        Assert.Equal(blkidLabel, description.Label);
        Assert.Equal(Uuid, description.Uuid);
        Assert.Equal(blkidUuid, description.Uuid);
        Assert.Equal(pageSize, description.BlockSize);
        Assert.Equal(8L << 20, description.TotalBytes);
        Assert.Equal(pageSize, description.UsedBytes);
        Assert.Equal([new BlockRange(0, pageSize)], ranges);
    }

    [Fact]
    public async Task ProbeAsync_MkswapWithoutLabel_NoLabelAndAGeneratedUuid()
    {
        // Given
        var path = MakeSwap(4096);
        var blkidUuid = DiskTool.RunChecked("blkid", Package, "-p", "-o", "value", "-s", "UUID", path).Trim();

        // When
        var (description, _) = await AllocatedImage.ReadAsync(Reader, path);

        // Then
        Assert.Null(description.Label);
        Assert.Equal(blkidUuid, description.Uuid);
    }

    [Fact]
    public async Task ProbeAsync_OldSwapSpaceMagic_Version0WithoutLabel()
    {
        // Given
        var bytes = new byte[16384];
        "SWAP-SPACE"u8.CopyTo(bytes.AsSpan(4086));
        var disk = new MemoryDisk(bytes);

        // When
        var description = await Reader.ProbeAsync(disk, 0, bytes.Length);
        var ranges = await Reader.GetAllocatedRangesAsync(disk, 0, bytes.Length, description!);

        // Then
        Assert.NotNull(description);
        Assert.Equal(FileSystemKind.Swap, description.Kind);
        Assert.Null(description.Label);
        Assert.Null(description.Uuid);
        Assert.Equal(bytes.Length, description.TotalBytes);
        Assert.Equal([new BlockRange(0, 4096)], ranges);
    }

    [Fact]
    public async Task ProbeAsync_BigEndianHeader_ReadsLastPageInItsByteOrder()
    {
        // Given: a header written on a big-endian machine: version 1 reads 0x01000000 little-endian.
        var bytes = new byte[4096 * 4];
        "SWAPSPACE2"u8.CopyTo(bytes.AsSpan(4086));
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1024), 1);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1028), 2);
        "be"u8.CopyTo(bytes.AsSpan(1052));
        var disk = new MemoryDisk(bytes);

        // When
        var description = await Reader.ProbeAsync(disk, 0, bytes.Length);

        // Then
        Assert.NotNull(description);
        Assert.Equal("be", description.Label);
        Assert.Equal(3 * 4096, description.TotalBytes);
    }

    [Fact]
    public async Task ProbeAsync_UnknownVersion_Null()
    {
        // Given
        var bytes = new byte[8192];
        "SWAPSPACE2"u8.CopyTo(bytes.AsSpan(4086));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(1024), 2);

        // When
        var description = await Reader.ProbeAsync(new MemoryDisk(bytes), 0, bytes.Length);

        // Then
        Assert.Null(description);
    }

    public static Arbitrary<byte[]> Disks() => Arb.From(ReaderFuzz.RandomDisks);

    public static Arbitrary<(int Position, byte Value)[]> Mutations() => Arb.From(ReaderFuzz.Mutations);

    [Property(MaxTest = 300, Arbitrary = [typeof(SwapReaderTests)])]
    public void ProbeAsync_RandomBytes_NeverThrows(byte[] disk)
    {
        ReaderFuzz.ProbeAndMap(Reader, disk);
    }

    [Property(MaxTest = 200, Arbitrary = [typeof(SwapReaderTests)])]
    public void ProbeAsync_HeaderWithCorruptFields_NeverThrows((int Position, byte Value)[] mutations)
    {
        var bytes = new byte[8192];
        "SWAPSPACE2"u8.CopyTo(bytes.AsSpan(4086));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(1024), 1);
        ReaderFuzz.ProbeAndMap(Reader, ReaderFuzz.Mutate(bytes, mutations, 1024, 64));
        ReaderFuzz.ProbeAndMap(Reader, bytes, length: mutations[0].Position % 9000);
    }
}
