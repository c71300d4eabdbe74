using Sms.Discovery;
using Sms.Discovery.Partitions;

namespace Sms.Replication.Tests.Discovery.Partitions;

/// <summary>A primary entry of a hand-made MBR.</summary>
public sealed record MbrPrimarySpec(int Slot, bool Bootable, byte Type, uint FirstLba, uint SectorCount)
{
    public bool IsExtended => Type is 0x05 or 0x0f or 0x85;
}

/// <summary>A logical partition of a hand-made MBR: its EBR and its data, both absolute.</summary>
public sealed record MbrLogicalSpec(uint EbrLba, bool Bootable, byte Type, uint FirstLba, uint SectorCount);

/// <summary>A hand-made MBR: primaries in their slots, and the logical partitions of the (one) extended primary.</summary>
public sealed record MbrLayout(int SectorSize, long DiskSectors, uint DiskSignature, IReadOnlyList<MbrPrimarySpec> Primaries, IReadOnlyList<MbrLogicalSpec> Logicals)
{
    public long DiskLength => DiskSectors * SectorSize;

    public MbrPrimarySpec? Extended => Primaries.FirstOrDefault(p => p.IsExtended);

    /// <summary>Writes sector 0 and the EBR chain to a sparse disk.</summary>
    public MemoryDisk ToDisk()
    {
        var disk = new MemoryDisk(DiskLength, SectorSize);
        var slots = new MbrEntry?[4];
        foreach (var primary in Primaries)
        {
            slots[primary.Slot] = new MbrEntry(primary.Bootable ? (byte)0x80 : (byte)0, primary.Type, primary.FirstLba, primary.SectorCount);
        }

        disk.Write(0, MbrImage.Sector(DiskSignature, slots));
        for (var i = 0; i < Logicals.Count; i++)
        {
            var logical = Logicals[i];
            MbrEntry? link = null;
            if (i + 1 < Logicals.Count)
            {
                var next = Logicals[i + 1];
                link = new MbrEntry(0, 0x05, next.EbrLba - Extended!.FirstLba, next.FirstLba + next.SectorCount - next.EbrLba);
            }

            var data = new MbrEntry(logical.Bootable ? (byte)0x80 : (byte)0, logical.Type, logical.FirstLba - logical.EbrLba, logical.SectorCount);
            disk.Write((long)logical.EbrLba * SectorSize, MbrImage.Sector(0, data, link));
        }

        return disk;
    }

    /// <summary>What the reader should report.</summary>
    public List<PartitionDescription> ExpectedPartitions()
    {
        var expected = Primaries.OrderBy(p => p.Slot).Select(p => new PartitionDescription
        {
            Number = p.Slot + 1,
            Start = (long)p.FirstLba * SectorSize,
            Length = (long)p.SectorCount * SectorSize,
            Type = $"0x{p.Type:x2}",
            Bootable = p.Bootable,
            IsExtendedContainer = p.IsExtended,
        }).ToList();
        expected.AddRange(Logicals.Select((l, i) => new PartitionDescription
        {
            Number = 5 + i,
            Start = (long)l.FirstLba * SectorSize,
            Length = (long)l.SectorCount * SectorSize,
            Type = $"0x{l.Type:x2}",
            Bootable = l.Bootable,
        }));
        return expected;
    }

    public override string ToString()
        => $"MBR {SectorSize}-byte sectors, {DiskSectors} sectors, signature {DiskSignature:x8}: "
           + string.Join("; ", Primaries.Select(p => $"slot {p.Slot} type {p.Type:x2} {p.FirstLba}+{p.SectorCount}"))
           + " | " + string.Join("; ", Logicals.Select(l => $"EBR {l.EbrLba} type {l.Type:x2} {l.FirstLba}+{l.SectorCount}"));
}
