using System.Buffers.Binary;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sms.Blocks;
using Sms.Discovery;
using Sms.Discovery.FileSystems.Lvm;
using Sms.Replication.Tests.Discovery.Fat;
using Xunit.Abstractions;

namespace Sms.Replication.Tests.Discovery.Lvm;

public sealed class LvmReaderTests(ITestOutputHelper output) : IDisposable
{
    private const string Package = "lvm2";
    private static readonly LvmPhysicalVolumeReader Reader = new();
    private readonly ScratchDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    /// <summary>A label as pvcreate writes it, in sector 1, with a valid CRC.</summary>
    private static byte[] Label(string uuid = "oDto3ngK4QL00rjWdUjvFu1uhN9SHRJN", long deviceSize = 16 << 20, int sector = 1)
    {
        var bytes = new byte[2048];
        var s = bytes.AsSpan(sector * 512, 512);
        "LABELONE"u8.CopyTo(s);
        BinaryPrimitives.WriteUInt64LittleEndian(s[8..], (ulong)sector);
        BinaryPrimitives.WriteUInt32LittleEndian(s[0x14..], 32);
        "LVM2 001"u8.CopyTo(s[0x18..]);
        Encoding.ASCII.GetBytes(uuid).CopyTo(s[32..]);
        BinaryPrimitives.WriteUInt64LittleEndian(s[64..], (ulong)deviceSize);
        BinaryPrimitives.WriteUInt32LittleEndian(s[0x10..], LvmLabel.Crc(s[0x14..]));
        return bytes;
    }

    [Fact]
    public async Task ProbeAsync_PvcreateOnLoopDevice_UuidEqualsPvs()
    {
        // pvcreate needs a block device: a loop device over the image, which needs root.
        if (!DiskTool.IsRoot)
        {
            output.WriteLine("not root: losetup cannot attach a loop device, so pvcreate is not run; the synthetic-label tests still run.");
            return;
        }

        // Given
        var image = _directory.SparseImage("pv.img", 16L << 20);
        var device = DiskTool.RunChecked("losetup", "mount", "-f", "--show", image).Trim();
        string pvsUuid;
        try
        {
            DiskTool.RunChecked("pvcreate", Package, "-ff", "-y", "--devices", device, device);
            pvsUuid = DiskTool.RunChecked("pvs", Package, "-o", "pv_uuid", "--noheadings", "--devices", device, device).Trim();

            // When: read through the loop device ...
            await using var disk = FileBlockSource.Open(device);
            var fromDevice = await Reader.ProbeAsync(disk, 0, disk.Length);

            // Then
            Assert.NotNull(fromDevice);
            Assert.Equal(pvsUuid, fromDevice.Uuid);
        }
        finally
        {
            DiskTool.Run("losetup", "mount", "-d", device);
        }

        // ... and through the image file the label was written to.
        var (description, ranges) = await ProbeFileAsync(image);
        output.WriteLine($"pvs: {pvsUuid}; ours: {description.Uuid}");
        Assert.Equal(FileSystemKind.LvmPhysicalVolume, description.Kind);
        Assert.Equal(pvsUuid, description.Uuid);
        Assert.Equal(38, description.Uuid!.Length);
        Assert.Equal(16L << 20, description.TotalBytes);
        Assert.Equal("LVM2 physical volume: logical volumes are not mapped; the whole partition is replicated", description.Note);
        Assert.Null(ranges);
    }

    private static async Task<(FileSystemDescription Description, IReadOnlyList<BlockRange>? Ranges)> ProbeFileAsync(string image)
    {
        await using var disk = FileBlockSource.Open(image);
        var description = await Reader.ProbeAsync(disk, 0, disk.Length);
        Assert.NotNull(description);
        return (description, await Reader.GetAllocatedRangesAsync(disk, 0, disk.Length, description));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public async Task ProbeAsync_LabelInAnyOfFirstFourSectors_UuidDashed6444446(int sector)
    {
        // Given
        var bytes = Label(sector: sector);

        // When
        var description = await Reader.ProbeAsync(new MemoryDisk(bytes), 0, 16 << 20);

        // Then
        Assert.NotNull(description);
        Assert.Equal("oDto3n-gK4Q-L00r-jWdU-jvFu-1uhN-9SHRJN", description.Uuid);
        Assert.Equal(16 << 20, description.TotalBytes);
    }

    [Theory]
    [InlineData(512 + 0x10)] // the CRC
    [InlineData(512 + 0x30)] // a UUID character (the CRC covers it)
    [InlineData(512 + 0x08)] // the sector number
    [InlineData(512 + 0x1C)] // the type
    public async Task ProbeAsync_DamagedLabel_Null(int offset)
    {
        // Given
        var bytes = Label();
        bytes[offset] ^= 0x01;

        // When
        var description = await Reader.ProbeAsync(new MemoryDisk(bytes), 0, bytes.Length);

        // Then
        Assert.Null(description);
    }

    [Fact]
    public async Task ProbeAsync_LabelBeyondPartitionEnd_Null()
    {
        // Given: the label is in sector 3, the partition only 2 sectors long.
        var bytes = Label(sector: 3);

        // When
        var description = await Reader.ProbeAsync(new MemoryDisk(bytes), 0, 1024);

        // Then
        Assert.Null(description);
    }

    public static Arbitrary<byte[]> Disks() => Arb.From(ReaderFuzz.RandomDisks);

    public static Arbitrary<(int Position, byte Value)[]> Mutations() => Arb.From(ReaderFuzz.Mutations);

    [Property(MaxTest = 300, Arbitrary = [typeof(LvmReaderTests)])]
    public void ProbeAsync_RandomBytes_NeverThrows(byte[] disk)
    {
        ReaderFuzz.ProbeAndMap(Reader, disk);
    }

    [Property(MaxTest = 200, Arbitrary = [typeof(LvmReaderTests)])]
    public void ProbeAsync_LabelWithCorruptBytes_NeverThrows((int Position, byte Value)[] mutations)
    {
        ReaderFuzz.ProbeAndMap(Reader, ReaderFuzz.Mutate(Label(), mutations, 512, 512));
    }
}
