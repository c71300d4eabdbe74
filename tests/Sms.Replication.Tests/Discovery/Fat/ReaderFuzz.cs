using FsCheck;
using FsCheck.Fluent;
using Sms.Discovery.FileSystems;

namespace Sms.Replication.Tests.Discovery.Fat;

/// <summary>Shared generators and checks for "malformed input never throws" properties.</summary>
public static class ReaderFuzz
{
    public static readonly Gen<byte> AnyByte = Gen.Choose(0, 255).Select(i => (byte)i);

    /// <summary>Random disks: empty, short, or long enough to reach every superblock probed (btrfs's at 64 KiB).</summary>
    public static readonly Gen<byte[]> RandomDisks =
        from length in Gen.Frequency((1, Gen.Choose(0, 600)), (2, Gen.Choose(600, 9000)), (1, Gen.Choose(65536 + 4096, 70000)))
        from bytes in Gen.ArrayOf(AnyByte, length)
        select bytes;

    /// <summary>Byte mutations: a position (scaled to the window) and a value.</summary>
    public static readonly Gen<(int Position, byte Value)[]> Mutations =
        from count in Gen.Choose(1, 12)
        from mutations in Gen.ArrayOf(Gen.Choose(0, int.MaxValue).SelectMany(p => AnyByte.Select(b => (p, b))), count)
        select mutations;

    /// <summary>Copies <paramref name="disk"/> and applies the mutations inside <c>[windowStart, windowStart + windowLength)</c>.</summary>
    public static byte[] Mutate(byte[] disk, (int Position, byte Value)[] mutations, int windowStart, int windowLength)
    {
        var copy = (byte[])disk.Clone();
        foreach (var (position, value) in mutations)
        {
            copy[windowStart + (position % windowLength)] = value;
        }

        return copy;
    }

    /// <summary>Probes and, when recognised, maps; neither may throw, and a map must be well formed.</summary>
    public static void ProbeAndMap(IFileSystemReader reader, byte[] bytes, long? length = null)
    {
        var disk = new MemoryDisk(bytes);
        var partition = length ?? bytes.Length;
        var description = reader.ProbeAsync(disk, 0, partition).AsTask().GetAwaiter().GetResult();
        if (description is null)
        {
            return;
        }

        var ranges = reader.GetAllocatedRangesAsync(disk, 0, partition, description).AsTask().GetAwaiter().GetResult();
        if (ranges is not null)
        {
            AllocatedImage.AssertWellFormed(ranges, partition);
        }
    }
}
