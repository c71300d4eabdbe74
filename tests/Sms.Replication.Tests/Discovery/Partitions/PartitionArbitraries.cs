using System.Buffers.Binary;
using System.IO.Hashing;
using FsCheck;
using FsCheck.Fluent;

namespace Sms.Replication.Tests.Discovery.Partitions;

/// <summary>A small disk full of random sectors, sector 0 nudged towards the interesting paths.</summary>
public sealed record FuzzDisk(int SectorSize, byte[] Content)
{
    public MemoryDisk ToDisk()
    {
        var disk = new MemoryDisk(Content.Length, SectorSize);
        disk.Write(0, Content);
        return disk;
    }

    public override string ToString() => $"{Content.Length / SectorSize} random {SectorSize}-byte sectors, sector 0: {Convert.ToHexString(Content, 440, 72)}";
}

/// <summary>A GPT whose header fields are random but whose CRCs are right: only the reader's checks stand in the way.</summary>
public sealed record HostileGpt(int LbaSize, long DiskSectors, byte[] HeaderFields, byte[] Entries, bool FixEntryGeometry)
{
    /// <summary>A protective MBR, then the header (signature, size and both CRCs right), then the entries where it says.</summary>
    public MemoryDisk ToDisk()
    {
        var disk = new MemoryDisk(DiskSectors * LbaSize, LbaSize);
        disk.Write(0, GptImage.ProtectiveMbr(DiskSectors));
        var header = (byte[])HeaderFields.Clone();
        "EFI PART"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), 92);
        if (FixEntryGeometry)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(24), 1);
            BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(72), 2);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(80), 4);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(84), 128);
        }

        var entriesLba = BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(72));
        var arrayLength = (ulong)BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(80)) * BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(84));
        if (arrayLength <= (ulong)Entries.Length)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(88), Crc32.HashToUInt32(Entries.AsSpan(0, (int)arrayLength)));
        }

        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), Crc32.HashToUInt32(header));
        disk.Write(LbaSize, header);
        if (entriesLba > 0 && entriesLba < (ulong)DiskSectors)
        {
            disk.Write((long)entriesLba * LbaSize, Entries.AsSpan(0, (int)Math.Min(Entries.Length, disk.Length - ((long)entriesLba * LbaSize))));
        }

        return disk;
    }

    public override string ToString() => $"{DiskSectors} sectors of {LbaSize}, header fields {Convert.ToHexString(HeaderFields)}";
}

/// <summary>FsCheck generators for partition tables.</summary>
public static class PartitionArbitraries
{
    private static readonly Gen<byte> AnyByte = Gen.Choose(0, 255).Select(i => (byte)i);

    private static readonly Gen<uint> AnyUInt = Gen.Choose(int.MinValue, int.MaxValue).Select(i => (uint)i);

    private static readonly Gen<ulong> AnyULong =
        from hi in AnyUInt
        from lo in AnyUInt
        select ((ulong)hi << 32) | lo;

    private static readonly Gen<bool> AnyBool = Gen.Elements(true, false);

    private static readonly Gen<Guid> AnyGuid = Gen.ArrayOf(AnyByte, 16).Select(b => new Guid(b)).Where(g => g != Guid.Empty);

    private static readonly char[] NameChars = "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 -_.:üéñßΩЖ漢字".ToCharArray();

    private static readonly Gen<string> Names = Gen.Choose(0, 36).SelectMany(n => Gen.ArrayOf(Gen.Elements(NameChars), n)).Select(c => new string(c));

    /// <summary>A data partition type: anything but empty, extended or GPT-protective.</summary>
    private static readonly Gen<byte> DataType = AnyByte.Where(t => t is not (0x00 or 0x05 or 0x0f or 0x85 or 0xee));

    private static readonly Gen<(uint Gap, uint Size, byte Type, bool Bootable)> PrimaryPieces =
        from gap in Gen.Choose(1, 4096)
        from size in Gen.Choose(1, 1 << 22)
        from type in DataType
        from bootable in AnyBool
        select ((uint)gap, (uint)size, type, bootable);

    private static readonly Gen<(uint EbrGap, uint DataOffset, uint Size, byte Type, bool Bootable)> LogicalPieces =
        from ebrGap in Gen.Choose(0, 64)
        from dataOffset in Gen.Choose(1, 2048)
        from size in Gen.Choose(1, 1 << 20)
        from type in DataType
        from bootable in AnyBool
        select ((uint)ebrGap, (uint)dataOffset, (uint)size, type, bootable);

    private static readonly Gen<(uint Gap, uint Size, Guid Type, Guid Unique, ulong Attributes, string Name)> GptPieces =
        from gap in Gen.Choose(0, 2048)
        from size in Gen.Choose(1, 200_000)
        from type in AnyGuid
        from unique in AnyGuid
        from attributes in AnyULong
        from name in Names
        select ((uint)gap, (uint)size, type, unique, attributes, name);

    /// <summary>A plausible MBR: up to four primaries in random slots, one of them maybe extended with up to five logicals.</summary>
    public static readonly Gen<MbrLayout> MbrLayouts =
        from sectorSize in Gen.Elements(512, 4096)
        from signature in AnyUInt
        from count in Gen.Choose(0, 4)
        from slots in Gen.Shuffle(new[] { 0, 1, 2, 3 })
        from extendedAt in Gen.Choose(-1, count - 1)
        from extendedType in Gen.Elements<byte>(0x05, 0x0f, 0x85)
        from primaries in Gen.ArrayOf(PrimaryPieces, 4)
        from logicalCount in Gen.Choose(0, 5)
        from logicals in Gen.ArrayOf(LogicalPieces, logicalCount)
        from tail in Gen.Choose(0, 100)
        from extra in Gen.Choose(0, 10_000)
        select AssembleMbr(sectorSize, signature, slots[..count], extendedAt, extendedType, primaries, logicals, (uint)tail, extra);

    /// <summary>A valid GPT in the standard layout, with up to eight partitions at random entry indices.</summary>
    public static readonly Gen<GptLayout> GptLayouts =
        from lbaSize in Gen.Elements(512, 4096)
        from entrySize in Gen.Elements(128, 128, 256)
        from entryCount in Gen.Elements(128, 128, 4, 56, 256)
        from diskGuid in AnyGuid
        from count in Gen.Choose(0, Math.Min(8, entryCount))
        from indices in Gen.Shuffle(Enumerable.Range(0, entryCount))
        from pieces in Gen.ArrayOf(GptPieces, count)
        from extra in Gen.Choose(0, 5000)
        select AssembleGpt(lbaSize, entrySize, entryCount, diskGuid, indices, pieces, extra);

    public static readonly Gen<FuzzDisk> FuzzDisks =
        from sectorSize in Gen.Elements(512, 512, 4096)
        from sectors in Gen.Choose(1, 64)
        from content in Gen.ArrayOf(AnyByte, sectors * sectorSize)
        from nudge in Gen.Choose(0, 4)
        from signatures in AnyBool
        from slot in Gen.Choose(0, 3)
        from start in Gen.Choose(0, sectors + 2)
        select Nudge(new FuzzDisk(sectorSize, content), nudge, signatures, slot, (uint)start);

    public static readonly Gen<HostileGpt> HostileGpts =
        from lbaSize in Gen.Elements(512, 4096)
        from sectors in Gen.Choose(3, 200)
        from fields in Gen.ArrayOf(AnyByte, 92)
        from smallNumbers in AnyBool
        from entries in Gen.ArrayOf(AnyByte, 4 * 128)
        from fixGeometry in AnyBool
        select new HostileGpt(lbaSize, sectors, smallNumbers ? Shrink(fields, sectors) : fields, smallNumbers ? ShrinkEntries(entries, sectors) : entries, fixGeometry);

    public static Arbitrary<MbrLayout> Mbr() => Arb.From(MbrLayouts);

    public static Arbitrary<GptLayout> Gpt() => Arb.From(GptLayouts);

    public static Arbitrary<FuzzDisk> Fuzz() => Arb.From(FuzzDisks);

    public static Arbitrary<HostileGpt> Hostile() => Arb.From(HostileGpts);

    private static MbrLayout AssembleMbr(
        int sectorSize, uint signature, int[] slots, int extendedAt, byte extendedType,
        (uint Gap, uint Size, byte Type, bool Bootable)[] pieces, (uint EbrGap, uint DataOffset, uint Size, byte Type, bool Bootable)[] logicalPieces,
        uint tail, int extra)
    {
        var primaries = new List<MbrPrimarySpec>();
        var logicals = new List<MbrLogicalSpec>();
        uint cursor = 0;
        for (var i = 0; i < slots.Length; i++)
        {
            var piece = pieces[i];
            var start = cursor + piece.Gap;
            if (i != extendedAt)
            {
                primaries.Add(new MbrPrimarySpec(slots[i], piece.Bootable, piece.Type, start, piece.Size));
                cursor = start + piece.Size;
                continue;
            }

            var ebr = start;
            foreach (var logical in logicalPieces)
            {
                logicals.Add(new MbrLogicalSpec(ebr, logical.Bootable, logical.Type, ebr + logical.DataOffset, logical.Size));
                ebr += logical.DataOffset + logical.Size + logical.EbrGap;
            }

            var end = logicals.Count == 0 ? start + piece.Size : logicals[^1].FirstLba + logicals[^1].SectorCount + tail;
            primaries.Add(new MbrPrimarySpec(slots[i], false, extendedType, start, end - start));
            cursor = end;
        }

        return new MbrLayout(sectorSize, cursor + 1L + extra, signature, primaries, logicals);
    }

    private static GptLayout AssembleGpt(
        int lbaSize, int entrySize, int entryCount, Guid diskGuid, int[] indices,
        (uint Gap, uint Size, Guid Type, Guid Unique, ulong Attributes, string Name)[] pieces, int extra)
    {
        var firstUsable = 2 + ((((long)entryCount * entrySize) + lbaSize - 1) / lbaSize);
        var cursor = (ulong)firstUsable;
        var partitions = new List<GptPartitionSpec>();
        for (var i = 0; i < pieces.Length; i++)
        {
            var piece = pieces[i];
            var first = cursor + piece.Gap;
            partitions.Add(new GptPartitionSpec(indices[i], piece.Type, piece.Unique, first, first + piece.Size - 1, piece.Attributes, piece.Name));
            cursor = first + piece.Size;
        }

        var lastUsable = (long)cursor + extra;
        return new GptLayout(lbaSize, GptLayout.DiskSectorsFor(lbaSize, entryCount, entrySize, lastUsable), entryCount, entrySize, diskGuid, partitions);
    }

    // 0: as generated; 1: every entry of every sector points near the disk, sector 0 has valid status bytes;
    // 2-4: and sector 0 has a single entry: GPT-protective, extended, or data.
    private static FuzzDisk Nudge(FuzzDisk fuzz, int nudge, bool signatures, int slot, uint start)
    {
        var content = fuzz.Content;
        var sectors = (uint)(content.Length / fuzz.SectorSize);
        for (var at = 0; at + 512 <= content.Length; at += fuzz.SectorSize)
        {
            if (signatures)
            {
                content[at + 510] = 0x55;
                content[at + 511] = 0xAA;
            }

            for (var i = 0; nudge > 0 && i < 4; i++)
            {
                var entry = content.AsSpan(at + 446 + (i * 16), 16);
                BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], BinaryPrimitives.ReadUInt32LittleEndian(entry[8..]) % (sectors + 4));
                BinaryPrimitives.WriteUInt32LittleEndian(entry[12..], BinaryPrimitives.ReadUInt32LittleEndian(entry[12..]) % (sectors + 4));
                entry[0] &= 0x80;
            }
        }

        if (nudge >= 2 && content.Length >= 512)
        {
            content.AsSpan(446, 64).Clear();
            var entry = content.AsSpan(446 + (slot * 16), 16);
            entry[4] = nudge switch { 2 => 0xee, 3 => 0x05, _ => 0x83 };
            BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], start);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[12..], sectors);
        }

        return fuzz;
    }

    // Header fields with LBAs and counts near the disk, so that more of them get past the first checks.
    private static byte[] Shrink(byte[] fields, int sectors)
    {
        var bytes = (byte[])fields.Clone();
        foreach (var offset in new[] { 24, 32, 40, 48, 72 })
        {
            var value = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(offset)) % (ulong)(sectors + 4);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(offset), value);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(80), bytes[80] % 9u);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(84), 128u << (bytes[84] % 3));
        return bytes;
    }

    // Entry LBAs near the disk, so that some partitions survive and get checked against it.
    private static byte[] ShrinkEntries(byte[] entries, int sectors)
    {
        var bytes = (byte[])entries.Clone();
        for (var at = 0; at + 128 <= bytes.Length; at += 128)
        {
            foreach (var offset in new[] { at + 32, at + 40 })
            {
                BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(offset), BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(offset)) % (ulong)(sectors + 4));
            }
        }

        return bytes;
    }
}
