using System.Globalization;
using Sms.Blocks;
using Sms.Discovery;
using Sms.Discovery.Partitions;

namespace Sms.Replication.Tests.Discovery.Partitions;

/// <summary>Tables made by sfdisk, sgdisk, parted and fdisk on sparse images, read back and compared with what the tools print.</summary>
public sealed class PartitionTableReaderToolTests : IDisposable
{
    private const long MiB = 1 << 20;
    private readonly ImageDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task ReadAsync_SfdiskMbrWithExtendedAndLogicals_MatchesSfdiskJson()
    {
        // Given
        var image = MakeSfdiskMbrImage();
        var expected = PartitionTools.SfdiskJson(image);

        // When
        var table = await ReadAsync(image);

        // Then
        Assert.Equal(PartitionTableKind.Mbr, table.Kind);
        Assert.Empty(table.Warnings);
        Assert.Equal("dos", expected.Label);
        Assert.Equal(expected.Id[2..], table.DiskId);
        Assert.Equal(7, expected.Partitions.Count);
        Assert.Equal(expected.Partitions.Select(p => p.Number), table.Partitions.Select(p => p.Number));
        foreach (var (want, got) in expected.Partitions.Zip(table.Partitions))
        {
            Assert.Equal(want.Start * 512, got.Start);
            Assert.Equal(want.Size * 512, got.Length);
            Assert.Equal(MbrType(want.Type), got.Type);
            Assert.Equal(want.Bootable, got.Bootable);
            Assert.Equal(want.Type == "5", got.IsExtendedContainer);
            Assert.Null(got.UniqueId);
            Assert.Null(got.Name);
        }

        AssertEbrMetadata(image, table, 512);
    }

    [Fact]
    public async Task ReadAsync_SgdiskGptWithFourNamedPartitions_MatchesSgdiskInfoAndSfdiskJson()
    {
        // Given
        var image = MakeSgdiskImage();
        var json = PartitionTools.SfdiskJson(image);

        // When
        var table = await ReadAsync(image);

        // Then
        Assert.Equal(PartitionTableKind.Gpt, table.Kind);
        Assert.Empty(table.Warnings);
        Assert.Equal(json.Id.ToLowerInvariant(), table.DiskId);
        Assert.Equal([1, 2, 3, 4], table.Partitions.Select(p => p.Number));
        Assert.Equal(["EFI system", "root", "swap ü", "data"], table.Partitions.Select(p => p.Name));
        foreach (var got in table.Partitions)
        {
            var info = PartitionTools.SgdiskInfo(image, got.Number);
            Assert.Equal(info.TypeGuid.ToLowerInvariant(), got.Type);
            Assert.Equal(info.UniqueGuid.ToLowerInvariant(), got.UniqueId);
            Assert.Equal(info.FirstSector * 512, got.Start);
            Assert.Equal((info.LastSector - info.FirstSector + 1) * 512, got.Length);
            Assert.Equal(info.Name, got.Name);
        }

        AssertSameAsSfdisk(json, table, 512);
        Assert.Equal(
            [new BlockRange(0, json.FirstLba!.Value * 512), BlockRange.FromBounds((json.LastLba!.Value + 1) * 512, 64 * MiB)],
            table.MetadataRanges);
    }

    [Fact]
    public async Task ReadAsync_PartedGpt_MatchesSfdiskJson()
    {
        // Given
        var image = PartitionTools.CreateImage(_directory.File("parted.img"), 128 * MiB);
        PartitionTools.Run("parted", null, "-s", image, "mklabel", "gpt",
            "mkpart", "esp", "fat32", "1MiB", "33MiB", "set", "1", "esp", "on",
            "mkpart", "root", "ext4", "33MiB", "100MiB",
            "mkpart", "swap", "linux-swap", "100MiB", "100%");
        var json = PartitionTools.SfdiskJson(image);

        // When
        var table = await ReadAsync(image);

        // Then
        Assert.Equal(PartitionTableKind.Gpt, table.Kind);
        Assert.Empty(table.Warnings);
        Assert.Equal(json.Id.ToLowerInvariant(), table.DiskId);
        Assert.Equal(["esp", "root", "swap"], table.Partitions.Select(p => p.Name));
        Assert.Equal("c12a7328-f81f-11d2-ba4b-00a0c93ec93b", table.Partitions[0].Type);
        AssertSameAsSfdisk(json, table, 512);
    }

    [Fact]
    public async Task ReadAsync_PrimaryGptHeaderOverwrittenWithGarbage_ReadsTheBackupWithAWarning()
    {
        // Given
        var image = MakeSgdiskImage();
        var intact = await ReadAsync(image);
        PartitionTools.Overwrite(image, 512, Garbage(512, seed: 1));

        // When
        var table = await ReadAsync(image);

        // Then
        Assert.Equal(PartitionTableKind.Gpt, table.Kind);
        Assert.Contains(GptTableReader.PrimaryHeaderCorruptWarning, table.Warnings);
        Assert.Equal("primary GPT header is corrupt; the backup was used", GptTableReader.PrimaryHeaderCorruptWarning);
        Assert.Equal(intact.DiskId, table.DiskId);
        Assert.Equal(intact.Partitions, table.Partitions);
        Assert.Equal(intact.MetadataRanges, table.MetadataRanges);
    }

    [Fact]
    public async Task ReadAsync_PrimaryGptEntryArrayOverwrittenWithGarbage_ReadsTheBackupArrayWithAWarning()
    {
        // Given
        var image = MakeSgdiskImage();
        var intact = await ReadAsync(image);
        PartitionTools.Overwrite(image, 2 * 512, Garbage(4 * 512, seed: 2));

        // When
        var table = await ReadAsync(image);

        // Then
        Assert.Equal(PartitionTableKind.Gpt, table.Kind);
        Assert.Contains(GptTableReader.PrimaryEntriesCorruptWarning, table.Warnings);
        Assert.Equal(intact.Partitions, table.Partitions);
    }

    [Fact]
    public async Task ReadAsync_BothGptHeadersOverwrittenWithGarbage_FallsBackToTheProtectiveMbrWithoutThrowing()
    {
        // Given
        var image = MakeSgdiskImage();
        PartitionTools.Overwrite(image, 512, Garbage(512, seed: 3));
        PartitionTools.Overwrite(image, (64 * MiB) - 512, Garbage(512, seed: 4));

        // When
        var table = await ReadAsync(image);

        // Then
        Assert.Equal(PartitionTableKind.Mbr, table.Kind);
        Assert.Equal("0xee", Assert.Single(table.Partitions).Type);
        Assert.Contains(table.Warnings, w => w.StartsWith("no valid GPT was found", StringComparison.Ordinal));
        Assert.Contains(table.Warnings, w => w.StartsWith("primary GPT header at LBA 1 is not usable", StringComparison.Ordinal));
        Assert.Contains(table.Warnings, w => w.StartsWith("backup GPT header at LBA 131071 is not usable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_SfdiskEbrChainPatchedIntoALoop_StopsWithAWarning()
    {
        // Given: the last EBR's link entry now points back at the first EBR.
        var image = MakeSfdiskMbrImage();
        var intact = await ReadAsync(image);
        var ebrs = intact.MetadataRanges.Skip(1).Select(r => r.Offset).ToList();
        var link = new byte[16];
        link[4] = 0x05;
        link[12] = 1;
        PartitionTools.Overwrite(image, ebrs[^1] + 446 + 16, link);

        // When
        var table = await ReadAsync(image);

        // Then
        Assert.Equal(intact.Partitions, table.Partitions);
        Assert.Contains($"loops back to sector {ebrs[0] / 512}", Assert.Single(table.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_SfdiskImageCutShort_LeavesOutOrTruncatesWhatIsPastTheEnd()
    {
        // Given: the image cut to 48 MiB: partitions 1-3 fit, the extended one and logical 5 run past the end, and
        // the EBRs of logicals 6 and 7 lie beyond it.
        var image = MakeSfdiskMbrImage();
        using (var file = new FileStream(image, FileMode.Open, FileAccess.Write))
        {
            file.SetLength(48 * MiB);
        }

        // When
        var table = await ReadAsync(image);

        // Then
        Assert.Equal(PartitionTableKind.Mbr, table.Kind);
        Assert.Equal([1, 2, 3, 4, 5], table.Partitions.Select(p => p.Number));
        Assert.All(table.Partitions, p => Assert.True(p.Start + p.Length <= 48 * MiB));
        Assert.Equal(48 * MiB, table.Partitions[3].Start + table.Partitions[3].Length);
        Assert.Equal(48 * MiB, table.Partitions[4].Start + table.Partitions[4].Length);
        Assert.Equal(3, table.Warnings.Count);
        Assert.StartsWith("partition 4 ", table.Warnings[0], StringComparison.Ordinal);
        Assert.StartsWith("partition 5 ", table.Warnings[1], StringComparison.Ordinal);
        Assert.Contains("runs past the end of the disk", table.Warnings[0], StringComparison.Ordinal);
        Assert.Contains("beyond the end of the disk", table.Warnings[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_SfdiskEmptyDosLabel_IsAnMbrWithNoPartitions()
    {
        // Given
        var image = PartitionTools.CreateImage(_directory.File("empty-dos.img"), 16 * MiB);
        PartitionTools.Run("sfdisk", "label: dos\nlabel-id: 0x0badcafe\n", image);

        // When
        var table = await ReadAsync(image);

        // Then
        Assert.Equal(PartitionTableKind.Mbr, table.Kind);
        Assert.Equal("0badcafe", table.DiskId);
        Assert.Empty(table.Partitions);
        Assert.Equal([new BlockRange(0, 512)], table.MetadataRanges);
    }

    [Fact]
    public async Task ReadAsync_BlankImage_HasNoTable()
    {
        // Given
        var image = PartitionTools.CreateImage(_directory.File("blank.img"), 16 * MiB);

        // When
        var table = await ReadAsync(image);

        // Then
        Assert.Equal(PartitionTableKind.None, table.Kind);
        Assert.Empty(table.Partitions);
        Assert.Empty(table.Warnings);
    }

    [Theory]
    [InlineData("e2fsprogs", "mkfs.ext4", "-q -F")]
    [InlineData("xfsprogs", "mkfs.xfs", "-q -f")]
    [InlineData("dosfstools", "mkfs.vfat", "")]
    [InlineData("dosfstools", "mkfs.vfat", "-F 32")]
    [InlineData("dosfstools", "mkfs.vfat", "--mbr=y")]
    [InlineData("ntfs-3g", "mkfs.ntfs", "-F -Q -q")]
    public async Task ReadAsync_FileSystemOnTheWholeDisk_HasNoTable(string package, string tool, string options)
    {
        // Given
        var image = PartitionTools.CreateImage(_directory.File("bare.img"), 512 * MiB);
        PartitionTools.MakeFileSystem(package, tool, [.. options.Split(' ', StringSplitOptions.RemoveEmptyEntries), image]);

        // When
        var table = await ReadAsync(image);

        // Then
        Assert.Equal(PartitionTableKind.None, table.Kind);
        Assert.Empty(table.Partitions);
        Assert.Empty(table.Warnings);
    }

    [Fact]
    public async Task ReadAsync_Fdisk4096ByteSectorMbrWithLogicals_MatchesFdiskList()
    {
        // Given: fdisk -b 4096 (this util-linux's sfdisk has no --sector-size), read as a disk with 4096-byte sectors.
        var image = PartitionTools.CreateImage(_directory.File("mbr4k.img"), 256 * MiB);
        PartitionTools.Run("fdisk", "o\nn\np\n1\n\n+16M\na\nn\np\n2\n\n+16M\nt\n2\n82\nn\ne\n3\n\n\nn\n\n+8M\nn\n\n+8M\nt\n6\n8e\nn\n\n\nw\n", "-b", "4096", image);
        var (diskId, rows) = PartitionTools.FdiskList(image, 4096, "Device", "Start", "Sectors", "Id", "Boot");

        // When
        var table = await ReadAsync(image, sectorSize: 4096);

        // Then
        Assert.Equal(PartitionTableKind.Mbr, table.Kind);
        Assert.Empty(table.Warnings);
        Assert.Equal(diskId[2..], table.DiskId);
        Assert.Equal(6, rows.Count);
        Assert.Equal(rows.Select(r => PartitionTools.NumberOf(image, r[0])), table.Partitions.Select(p => p.Number));
        foreach (var (row, got) in rows.Zip(table.Partitions))
        {
            Assert.Equal(long.Parse(row[1], CultureInfo.InvariantCulture) * 4096, got.Start);
            Assert.Equal(long.Parse(row[2], CultureInfo.InvariantCulture) * 4096, got.Length);
            Assert.Equal(MbrType(row[3]), got.Type);
            Assert.Equal(row.Length == 5 && row[4] == "*", got.Bootable);
        }

        AssertEbrMetadata(image, table, 4096);
    }

    [Fact]
    public async Task ReadAsync_Fdisk4096ByteSectorGpt_MatchesFdiskListWhateverSectorSizeTheDiskReports()
    {
        // Given
        var image = PartitionTools.CreateImage(_directory.File("gpt4k.img"), 256 * MiB);
        PartitionTools.Run("fdisk",
            "g\nn\n1\n\n+16M\nn\n2\n\n+64M\nn\n3\n\n\nt\n1\nC12A7328-F81F-11D2-BA4B-00A0C93EC93B\nt\n3\n0657FD6D-A4AB-43C4-84E5-0933C84B4F4F\n"
            + "x\nn\n1\nEFI system\nn\n2\nroot fs\nn\n3\nswap\nr\nw\n",
            "-b", "4096", image);
        var (diskId, rows) = PartitionTools.FdiskList(image, 4096, "Device", "Start", "Sectors", "Type-UUID", "UUID", "Name");

        // When
        var table = await ReadAsync(image, sectorSize: 4096);
        var asFile = await ReadAsync(image);

        // Then
        Assert.Equal(PartitionTableKind.Gpt, table.Kind);
        Assert.Empty(table.Warnings);
        Assert.Equal(diskId.ToLowerInvariant(), table.DiskId);
        Assert.Equal(3, rows.Count);
        foreach (var (row, got) in rows.Zip(table.Partitions))
        {
            Assert.Equal(PartitionTools.NumberOf(image, row[0]), got.Number);
            Assert.Equal(long.Parse(row[1], CultureInfo.InvariantCulture) * 4096, got.Start);
            Assert.Equal(long.Parse(row[2], CultureInfo.InvariantCulture) * 4096, got.Length);
            Assert.Equal(row[3].ToLowerInvariant(), got.Type);
            Assert.Equal(row[4].ToLowerInvariant(), got.UniqueId);
            Assert.Equal(row[5], got.Name);
        }

        Assert.Equal(table.Partitions, asFile.Partitions);
        Assert.StartsWith("the GPT was found with 4096-byte sectors", Assert.Single(asFile.Warnings), StringComparison.Ordinal);
    }

    private static string MbrType(string hex) => "0x" + byte.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture).ToString("x2", CultureInfo.InvariantCulture);

    private static byte[] Garbage(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static async Task<PartitionTable> ReadAsync(string image, int sectorSize = 512)
    {
        await using var file = FileBlockSource.Open(image);
        await using var disk = new ReportedSectorSize(file, sectorSize);
        return await PartitionTableReader.ReadAsync(disk);
    }

    private static void AssertSameAsSfdisk(SfdiskTable json, PartitionTable table, int sectorSize)
    {
        Assert.Equal("gpt", json.Label);
        Assert.Equal(json.Partitions.Select(p => p.Number), table.Partitions.Select(p => p.Number));
        foreach (var (want, got) in json.Partitions.Zip(table.Partitions))
        {
            Assert.Equal(want.Start * sectorSize, got.Start);
            Assert.Equal(want.Size * sectorSize, got.Length);
            Assert.Equal(want.Type.ToLowerInvariant(), got.Type);
            Assert.Equal(want.Uuid!.ToLowerInvariant(), got.UniqueId);
            Assert.Equal(want.Name, got.Name);
            Assert.False(got.Bootable);
            Assert.False(got.IsExtendedContainer);
        }
    }

    // Sector 0, then one EBR per logical partition: a 0x55AA sector inside the extended container, before its logical.
    private static void AssertEbrMetadata(string image, PartitionTable table, int sectorSize)
    {
        var extended = Assert.Single(table.Partitions, p => p.IsExtendedContainer);
        var logicals = table.Partitions.Where(p => p.Number >= 5).ToList();
        Assert.Equal(new BlockRange(0, sectorSize), table.MetadataRanges[0]);
        var ebrs = table.MetadataRanges.Skip(1).ToList();
        Assert.Equal(logicals.Count, ebrs.Count);
        foreach (var (ebr, logical) in ebrs.Zip(logicals))
        {
            Assert.Equal(sectorSize, ebr.Length);
            Assert.True(ebr.Offset >= extended.Start && ebr.End <= logical.Start, $"EBR {ebr} is not before {logical}");
            Assert.Equal([0x55, 0xAA], PartitionTools.ReadBytes(image, ebr.Offset + 510, 2));
        }

        Assert.Equal(extended.Start, ebrs[0].Offset);
    }

    private string MakeSfdiskMbrImage()
    {
        var image = PartitionTools.CreateImage(_directory.File("mbr.img"), 128 * MiB);
        PartitionTools.Run("sfdisk", """
            label: dos
            label-id: 0x5ca1ab1e
            start=2048, size=16M, type=83, bootable
            size=16M, type=82
            size=8M, type=7
            type=5
            size=8M, type=83
            size=12M, type=8e
            type=c
            """, image);
        return image;
    }

    private string MakeSgdiskImage()
    {
        var image = PartitionTools.CreateImage(_directory.File("gpt.img"), 64 * MiB);
        PartitionTools.Run("sgdisk", null,
            "-n", "1:2048:+8M", "-t", "1:ef00", "-c", "1:EFI system",
            "-n", "2:0:+16M", "-t", "2:8300", "-c", "2:root",
            "-n", "3:0:+8M", "-t", "3:8200", "-c", "3:swap ü",
            "-n", "4:0:0", "-t", "4:8e00", "-c", "4:data",
            image);
        return image;
    }
}
