using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sms.Discovery.FileSystems.Fat;

namespace Sms.Replication.Tests.Discovery.Fat;

public sealed class FatMalformedInputTests
{
    private static readonly FatFileSystemReader Reader = new();

    public static Arbitrary<byte[]> Disks() => Arb.From(ReaderFuzz.RandomDisks);

    public static Arbitrary<(int Position, byte Value)[]> Mutations() => Arb.From(ReaderFuzz.Mutations);

    private static byte[] Volume(int bits)
    {
        var spec = bits switch
        {
            12 => new FatVolumeSpec { EntryBits = 12, FatSectors = 12, TotalSectors = 1 + 24 + 32 + 4000 },
            16 => new FatVolumeSpec { EntryBits = 16, FatSectors = 40, TotalSectors = 1 + 80 + 32 + 10000 },
            _ => new FatVolumeSpec { EntryBits = 32, Fat32Bpb = true, RootEntries = 0, ReservedSectors = 32, FatSectors = 80, TotalSectors = 32 + 160 + 10000 },
        };
        var entries = new uint[1000];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = (uint)(i % 7 == 0 ? 0 : i + 1);
        }

        return spec.Volume(entries, (int)spec.DataOffset + 4096);
    }

    [Property(MaxTest = 300, Arbitrary = [typeof(FatMalformedInputTests)])]
    public void ProbeAsync_RandomBytes_NeverThrows(byte[] disk)
    {
        ReaderFuzz.ProbeAndMap(Reader, disk);
    }

    [Property(MaxTest = 300, Arbitrary = [typeof(FatMalformedInputTests)])]
    public void ProbeAsync_ValidVolumeWithCorruptBootSectorAndFat_NeverThrows((int Position, byte Value)[] mutations)
    {
        foreach (var bits in new[] { 12, 16, 32 })
        {
            var volume = Volume(bits);
            ReaderFuzz.ProbeAndMap(Reader, ReaderFuzz.Mutate(volume, mutations, 0, 512));
            ReaderFuzz.ProbeAndMap(Reader, ReaderFuzz.Mutate(volume, mutations, 0, volume.Length));
            ReaderFuzz.ProbeAndMap(Reader, ReaderFuzz.Mutate(volume, mutations, 0, 64), length: mutations[0].Position % (volume.Length + 1));
        }
    }
}
