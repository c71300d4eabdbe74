using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using Sms.Blocks;
using Sms.Discovery;
using Sms.Discovery.FileSystems.Ext;

namespace Sms.Replication.Tests.Discovery.Ext;

/// <summary>Byte changes to one of the small real images.</summary>
/// <param name="Image">Which image (see <see cref="ExtGarbage.Images"/>).</param>
/// <param name="Bytes">Offsets (into its first 8 KiB: superblock, descriptors, bitmaps) and new byte values.</param>
/// <param name="Fields">Superblock fields (offset of a 32-bit field) and new values.</param>
/// <param name="FixChecksum">Whether s_checksum is recomputed afterwards, so that the changes reach past that check.</param>
public sealed record Corruption(int Image, (int Offset, byte Value)[] Bytes, (int Field, uint Value)[] Fields, bool FixChecksum)
{
    public override string ToString()
        => $"Corruption(image {Image}, bytes [{string.Join(", ", Bytes.Select(b => $"{b.Offset}={b.Value:x2}"))}], "
            + $"fields [{string.Join(", ", Fields.Select(f => $"0x{f.Field:x}={f.Value:x}"))}], fix checksum {FixChecksum})";
}

/// <summary>Small real images to corrupt, random superblocks, and the checks every outcome must pass.</summary>
public static class ExtGarbage
{
    /// <summary>Offsets of the superblock's 32-bit fields (and pairs of 16-bit ones) worth corrupting.</summary>
    private static readonly int[] SuperblockFields =
        [0x00, 0x04, 0x0C, 0x14, 0x18, 0x1C, 0x20, 0x24, 0x28, 0x38, 0x4C, 0x58, 0x5C, 0x60, 0x64, 0xCC, 0xE0, 0xFC, 0x104, 0x150, 0x158, 0x24C, 0x250];

    private static readonly Gen<uint> Values = Gen.Frequency(
        (2, Gen.Elements(0u, 1u, 2u, 0xFFFFFFFFu, 0x80000000u, 0xEF53u, 0x7FFFFFFFu, 1024u, 8192u, 0x0004u, 0x0010u, 0x0080u, 0x0200u)),
        (1, Gen.Choose(0, 64).Select(i => (uint)i)),
        (1, Gen.Choose(int.MinValue, int.MaxValue).Select(i => (uint)i)));

    private static readonly Lazy<byte[][]> Made = new(MakeImages);

    /// <summary>
    /// ext4 (1 KiB blocks, 4 groups, journal), ext4 with META_BG (32 groups, 2 meta groups), ext2 (4 groups), and ext4
    /// without checksums (so that corrupted descriptors and bitmaps get past the checksum checks).
    /// </summary>
    public static byte[][] Images => Made.Value;

    public static Arbitrary<Corruption> Corruption()
        => Arb.From(
            from image in Gen.Choose(0, 3)
            from byteCount in Gen.Choose(0, 6)
            from bytes in Gen.ArrayOf(Gen.Zip(Gen.Choose(1024, 8191), Gen.Choose(0, 255).Select(i => (byte)i)), byteCount)
            from fieldCount in Gen.Choose(bytes.Length == 0 ? 1 : 0, 3)
            from fields in Gen.ArrayOf(Gen.Zip(Gen.Elements(SuperblockFields), Values), fieldCount)
            from fix in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
            select new Corruption(image, bytes, fields, fix));

    /// <summary>Applies a corruption to a copy of its image.</summary>
    public static byte[] Apply(Corruption corruption)
    {
        var bytes = (byte[])Images[corruption.Image].Clone();
        foreach (var (offset, value) in corruption.Bytes)
        {
            bytes[offset] = value;
        }

        foreach (var (field, value) in corruption.Fields)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(1024 + field), value);
        }

        if (corruption.FixChecksum)
        {
            FixSuperblockChecksum(bytes.AsSpan(1024, 1024));
        }

        return bytes;
    }

    /// <summary>Recomputes s_checksum (crc32c of the first 1020 bytes) of a superblock.</summary>
    public static void FixSuperblockChecksum(Span<byte> superblock)
        => BinaryPrimitives.WriteUInt32LittleEndian(superblock[0x3FC..], ExtChecksums.Crc32C(uint.MaxValue, superblock[..0x3FC]));

    /// <summary>
    /// A superblock with the magic and fields drawn near plausible values, descriptors pointing anywhere in a small
    /// disk, and random bytes elsewhere.
    /// </summary>
    public static byte[] RandomDisk(int seed)
    {
        var random = new Random(seed);
        var logBlock = random.Next(5) == 0 ? (uint)random.Next() : (uint)random.Next(3);
        var blockSize = logBlock < 3 ? 1024 << (int)logBlock : 1024;
        var perGroup = Pick(random, 256u, 1024u, 8192u, (uint)random.Next());
        var blocks = (uint)random.Next(16, (4 << 20) / blockSize);
        var firstData = blockSize == 1024 ? Pick(random, 1u, 1u, 0u, (uint)random.Next()) : Pick(random, 0u, 0u, 1u, (uint)random.Next());
        var perGroupInodes = Pick(random, 128u, 256u, 512u, (uint)random.Next());
        var groups = perGroup == 0 ? 1 : ((blocks - firstData) + perGroup - 1) / perGroup;
        var bytes = new byte[(int)Math.Min(4L << 20, (long)blocks * blockSize) + random.Next(0, 4096)];
        random.NextBytes(bytes);
        void Set(int at, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(1024 + at), value);
        void Set16(int at, ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(1024 + at), value);
        Set(0x00, random.Next(4) == 0 ? (uint)random.Next() : unchecked(groups * perGroupInodes));
        Set(0x04, blocks);
        Set(0x0C, (uint)random.Next((int)blocks));
        Set(0x14, firstData);
        Set(0x18, logBlock);
        Set(0x1C, random.Next(5) == 0 ? (uint)random.Next(8) : logBlock);
        Set(0x20, perGroup);
        Set(0x24, perGroup);
        Set(0x28, perGroupInodes);
        Set16(0x38, 0xEF53);
        Set16(0x3A, (ushort)Pick(random, 1u, 1u, 5u, (uint)random.Next(8)));
        Set(0x4C, Pick(random, 1u, 1u, 0u, (uint)random.Next(3)));
        Set16(0x58, (ushort)Pick(random, 256u, 128u, 512u, (uint)random.Next(1 << 16)));
        Set(0x5C, (uint)random.Next() & 0x0FFF);
        // Features: mostly ones the reader understands (filetype, meta_bg, extent, 64bit, flex_bg; needs_recovery and
        // bigalloc now and then), mostly without descriptor checksums so that random descriptors reach the bitmaps.
        Set(0x60, random.Next(8) == 0 ? (uint)random.Next() : ((uint)random.Next() & 0x2D2) | (random.Next(8) == 0 ? 0x4u : 0));
        Set(0x64, random.Next(8) == 0 ? (uint)random.Next() : ((uint)random.Next() & 0x216B) | (random.Next(10) == 0 ? 0x200u : 0));
        Set16(0xCE, (ushort)random.Next(Pick(random, 1, 16, 300, 1 << 16)));
        Set16(0xFE, (ushort)Pick(random, 64u, 32u, 128u, (uint)random.Next(1 << 16)));
        Set(0x104, (uint)random.Next(Pick(random, 1, 2, 4, 1 << 30)));
        Set(0x150, random.Next(4) == 0 ? (uint)random.Next() : 0);
        Set(0x158, random.Next(4) == 0 ? (uint)random.Next() : 0);

        // Descriptors right after the superblock's block, pointing inside the disk.
        var table = blockSize == 1024 ? 2048 : blockSize;
        for (var at = table; at + 64 <= Math.Min(bytes.Length, table + (2 * blockSize)); at += 32)
        {
            for (var field = 0; field < 12; field += 4)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + field), (uint)random.Next((int)blocks + 4));
            }

            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 0x12), (ushort)random.Next(8));
        }

        return bytes;
    }

    /// <summary>Probes, maps, and checks that the outcome is consistent (see <see cref="AssertConsistent"/>).</summary>
    public static void ReadAndAssertConsistent(byte[] bytes, bool expectDescription)
    {
        var disk = new MemoryBlockSource(bytes);
        var (description, ranges) = ExtScratch.ReadAsync(disk, 0, bytes.Length).GetAwaiter().GetResult();
        var (_, problem) = ExtFileSystemReader.ReadMapAsync(disk, 0, bytes.Length, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        if (expectDescription)
        {
            Assert.NotNull(description);
        }

        AssertConsistent(description, ranges, problem);
    }

    /// <summary>
    /// Whatever came out is consistent: a note means no map; no map without a note only for a bitmap whose checksum
    /// fails (bitmaps are read by the map, not the probe); a map is ascending, starts at 0 and ends in the file system.
    /// </summary>
    public static void AssertConsistent(FileSystemDescription? description, IReadOnlyList<BlockRange>? ranges, string? problem)
    {
        if (description is null)
        {
            Assert.Null(ranges);
            return;
        }

        if (description.Note is not null)
        {
            Assert.Null(ranges);
        }
        else if (ranges is null)
        {
            Assert.Contains("block bitmap checksum", problem, StringComparison.Ordinal);
        }

        if (ranges is null)
        {
            Assert.True(description.Note is null || description.UsedBytes is null, "a note but a used size");
            return;
        }

        Assert.NotEmpty(ranges);
        Assert.Equal(0, ranges[0].Offset);
        for (var i = 0; i < ranges.Count; i++)
        {
            Assert.True(ranges[i].Length > 0, $"range {i} is empty");
            Assert.True(i == 0 || ranges[i - 1].End < ranges[i].Offset, $"ranges {i - 1} and {i} are not ascending and apart");
        }

        Assert.True(ranges[^1].End <= description.TotalBytes, $"{ranges[^1]} passes the file system end {description.TotalBytes}");
    }

    private static T Pick<T>(Random random, T usual, T second, T third, T any)
        => random.Next(10) switch { < 5 => usual, < 7 => second, < 9 => third, _ => any };

    private static byte[][] MakeImages()
    {
        using var scratch = new ExtScratch();
        return
        [
            File.ReadAllBytes(scratch.Make("mkfs.ext4", 4 << 20, "-b", "1024", "-g", "1024", "-N", "256")),
            File.ReadAllBytes(scratch.Make("mkfs.ext4", 8 << 20, "-b", "1024", "-g", "256", "-N", "512", "-O", "meta_bg,^resize_inode")),
            File.ReadAllBytes(scratch.Make("mkfs.ext2", 4 << 20, "-b", "1024", "-g", "1024", "-N", "256")),
            File.ReadAllBytes(scratch.Make("mkfs.ext4", 4 << 20, "-b", "1024", "-g", "1024", "-N", "256", "-O", "^metadata_csum")),
        ];
    }
}
