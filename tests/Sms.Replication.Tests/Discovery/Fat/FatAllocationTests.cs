using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sms.Blocks;
using Sms.Discovery;
using Sms.Discovery.FileSystems.Fat;

namespace Sms.Replication.Tests.Discovery.Fat;

public sealed class FatAllocationTests
{
    private static readonly FatFileSystemReader Reader = new();

    /// <summary>A FAT12, FAT16 or FAT32 layout and entries for each of its clusters: free, in use, end of chain or bad.</summary>
    public static Arbitrary<(FatVolumeSpec Spec, uint[] Entries)> Volumes() => Arb.From(
        from bits in Gen.Elements(12, 16, 32)
        from clusters in bits == 12 ? Gen.Choose(1, 4084) : bits == 16 ? Gen.Choose(4085, 20000) : Gen.Choose(1, 30000)
        from values in Gen.ArrayOf(Gen.Frequency((4, Gen.Constant(0u)), (3, Gen.Choose(2, 4000).Select(i => (uint)i)), (1, Gen.Constant(0xFFFFFFFFu)), (1, Gen.Constant(0xFFFFFFF7u))), clusters)
        select Build(bits, clusters, values));

    private static (FatVolumeSpec Spec, uint[] Entries) Build(int bits, int clusters, uint[] values)
    {
        var mask = bits == 32 ? 0x0FFFFFFFu : (1u << bits) - 1;
        var entries = new uint[clusters + 2];
        entries[0] = 0xFFFFFF8 & mask;
        entries[1] = mask;
        for (var i = 0; i < clusters; i++)
        {
            entries[i + 2] = values[i] & mask;
        }

        var fatSectors = (((clusters + 2L) * bits) + 4095) / 4096;
        var spec = bits == 32
            ? new FatVolumeSpec { Fat32Bpb = true, EntryBits = 32, RootEntries = 0, ReservedSectors = 32, FatSectors = fatSectors }
            : new FatVolumeSpec { EntryBits = bits, FatSectors = fatSectors };
        var fixedSectors = spec.ReservedSectors + (2 * fatSectors) + (spec.RootEntries * 32 / 512);
        return (spec with { TotalSectors = fixedSectors + clusters }, entries);
    }

    private static List<BlockRange> BruteForce(FatVolumeSpec spec, uint[] entries)
    {
        var ranges = new List<BlockRange> { new(0, spec.DataOffset) };
        var clusterBytes = spec.BytesPerSector * spec.SectorsPerCluster;
        for (var cluster = 2; cluster < entries.Length; cluster++)
        {
            if (entries[cluster] != 0)
            {
                ranges.Add(new BlockRange(spec.DataOffset + ((cluster - 2L) * clusterBytes), clusterBytes));
            }
        }

        return BlockRanges.Coalesce(ranges);
    }

    [Property(MaxTest = 60, Arbitrary = [typeof(FatAllocationTests)])]
    public void GetAllocatedRangesAsync_AnyFat_EqualsEveryNonZeroEntryPlusFixedArea((FatVolumeSpec Spec, uint[] Entries) volume)
    {
        // Given
        var (spec, entries) = volume;
        var length = spec.TotalSectors * spec.BytesPerSector;
        var disk = new MemoryDisk(spec.Volume(entries, (int)spec.DataOffset));

        // When
        var description = Reader.ProbeAsync(disk, 0, length).AsTask().GetAwaiter().GetResult();
        var ranges = Reader.GetAllocatedRangesAsync(disk, 0, length, description!).AsTask().GetAwaiter().GetResult();

        // Then
        var expected = BruteForce(spec, entries);
        Assert.NotNull(ranges);
        Assert.Equal(expected, ranges);
        Assert.Equal(BlockRanges.TotalLength(expected), description!.UsedBytes);
    }

    [Fact]
    public async Task GetAllocatedRangesAsync_Fat32RunAcrossChunkBoundary_IsOneRange()
    {
        // Given: 768 KiB of 32-bit entries is 196608 entries; a run straddles that, another ends the volume.
        const int clusters = 200000;
        var values = new uint[clusters];
        for (var c = 196600; c < 196620; c++)
        {
            values[c - 2] = (uint)c + 1;
        }

        for (var c = clusters - 8; c < clusters + 2; c++)
        {
            values[c - 2] = 0x0FFFFFFF;
        }

        var (spec, entries) = Build(32, clusters, values);
        var length = spec.TotalSectors * spec.BytesPerSector;
        var disk = new MemoryDisk(spec.Volume(entries, (int)spec.DataOffset));

        // When
        var description = await Reader.ProbeAsync(disk, 0, length);
        var ranges = await Reader.GetAllocatedRangesAsync(disk, 0, length, description!);

        // Then
        Assert.Equal(
        [
            new BlockRange(0, spec.DataOffset),
            new BlockRange(spec.DataOffset + ((196600 - 2) * 512L), 20 * 512),
            new BlockRange(spec.DataOffset + ((clusters - 8 - 2) * 512L), 10 * 512),
        ], ranges);
        Assert.Equal(length, ranges![^1].End);
    }

    [Fact]
    public async Task GetAllocatedRangesAsync_MirroringOff_FollowsTheActiveFat()
    {
        // Given: only FAT #1 holds entries, and the BPB names it active.
        var values = new uint[100];
        values[10] = 0x0FFFFFFF;
        var (spec, entries) = Build(32, 100, values);
        spec = spec with { ExtendedFlags = 0x81 };
        var length = spec.TotalSectors * 512;
        var disk = new MemoryDisk(spec.Volume(entries, (int)spec.DataOffset, onlyFat: 1));

        // When
        var description = await Reader.ProbeAsync(disk, 0, length);
        var ranges = await Reader.GetAllocatedRangesAsync(disk, 0, length, description!);

        // Then
        Assert.Equal([new BlockRange(0, spec.DataOffset), new BlockRange(spec.DataOffset + (10 * 512), 512)], ranges);
    }

    [Fact]
    public async Task GetAllocatedRangesAsync_VolumeLongerThanPartition_NoMapAndANote()
    {
        // Given: the BPB claims 100 clusters more than the partition holds.
        var values = Enumerable.Repeat(0xFFFFu, 1000).ToArray();
        var (spec, entries) = Build(16, 1000, values);
        var length = (spec.TotalSectors - 100) * 512;
        var disk = new MemoryDisk(spec.Volume(entries, (int)spec.DataOffset));

        // When
        var description = await Reader.ProbeAsync(disk, 0, length);
        var ranges = await Reader.GetAllocatedRangesAsync(disk, 0, length, description!);

        // Then
        Assert.NotNull(description);
        Assert.Equal(FatFileSystemReader.LargerThanPartitionNote, description.Note);
        Assert.Null(description.UsedBytes);
        Assert.Equal("1234-ABCD", description.Uuid);
        Assert.Null(ranges);
    }

    [Theory]
    [InlineData("ROOTLBL", 0x08, "ROOTLBL")]
    [InlineData("NO NAME", 0x08, "BOOTLBL")]
    [InlineData("LONGNAME", 0x0F, "BOOTLBL")]
    [InlineData("SUBDIR", 0x18, "BOOTLBL")]
    public async Task ProbeAsync_RootDirectoryEntry_LabelAsBlkidReadsIt(string name, byte attributes, string expected)
    {
        // Given
        var (spec, entries) = Build(16, 5000, new uint[5000]);
        spec = spec with { BootLabel = "BOOTLBL" };
        var bytes = spec.Volume(entries, (int)spec.DataOffset);
        var root = (int)(spec.DataOffset - (spec.RootEntries * 32));
        bytes[root] = 0xE5; // a deleted label first: skipped
        bytes[root + 11] = 0x08;
        Encoding.ASCII.GetBytes(name.PadRight(11)).CopyTo(bytes, root + 32);
        bytes[root + 32 + 11] = attributes;
        var disk = new MemoryDisk(bytes);

        // When
        var description = await Reader.ProbeAsync(disk, 0, spec.TotalSectors * 512);

        // Then
        Assert.NotNull(description);
        Assert.Equal(FileSystemKind.Vfat, description.Kind);
        Assert.Equal(expected, description.Label);
        Assert.Equal("1234-ABCD", description.Uuid);
        Assert.Equal(512, description.BlockSize);
    }
}
