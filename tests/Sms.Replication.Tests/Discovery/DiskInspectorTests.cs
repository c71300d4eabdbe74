using Sms.Blocks;
using Sms.Discovery;
using Sms.Replication.Tests.Integration;

namespace Sms.Replication.Tests.Discovery;

/// <summary>Discovery end to end on images made by the real tools, and block replication with the valid-block map.</summary>
public sealed class DiskInspectorTests
{
    private const long Mib = 1L << 20;

    [Fact]
    public async Task InspectAsync_GptWithExt4SwapAndEmptyPartitions_MapsEachAsItsFileSystemAllows()
    {
        // Given
        using var dir = new TempDirectory();
        var image = await PartitionedImageAsync(dir);

        // When
        await using var disk = FileBlockSource.Open(image);
        var (inventory, map) = await new DiskInspector().InspectAsync(disk);

        // Then
        Assert.Equal(PartitionTableKind.Gpt, inventory.PartitionTable.Kind);
        Assert.Equal(3, inventory.PartitionTable.Partitions.Count);
        var (root, swap, empty) = (inventory.PartitionTable.Partitions[0], inventory.PartitionTable.Partitions[1], inventory.PartitionTable.Partitions[2]);
        Assert.Equal(FileSystemKind.Ext4, root.FileSystem!.Kind);
        Assert.Equal("rootfs", root.FileSystem.Label);
        Assert.Equal(FileSystemKind.Swap, swap.FileSystem!.Kind);
        Assert.Equal(FileSystemKind.Unknown, empty.FileSystem!.Kind);

        // The ext4 partition contributes exactly its allocated blocks, as dumpe2fs counts them.
        var ext4Allocated = AllocatedBlocksByDumpe2fs(dir.Combine("root.img")) * 1024;
        Assert.Equal(ext4Allocated, Sum(BlockRanges.Intersect(map.AllocatedRanges, [new BlockRange(root.Start, root.Length)])));

        // Swap contributes its header page only; the table, the boot area and the backup GPT are kept.
        Assert.Equal(4096, Sum(BlockRanges.Intersect(map.AllocatedRanges, [new BlockRange(swap.Start, swap.Length)])));
        Assert.Contains(map.AllocatedRanges, r => r.Offset == 0 && r.End >= Mib);
        Assert.True(Sum(BlockRanges.Intersect(map.AllocatedRanges, [BlockRange.FromBounds(disk.Length - (33 * 512), disk.Length)])) == 33 * 512);

        // The empty partition has no file system: kept whole, but it is all holes, so nothing of it is valid data.
        Assert.Contains(inventory.ValidBlockSources, s => s.StartsWith("partition 3: no known file system", StringComparison.Ordinal));
        Assert.True(inventory.ValidBytes < 12 * Mib, $"valid {inventory.ValidBytes}");
    }

    [Fact]
    public async Task Replicate_WithTheMap_SkipsFreeSpaceAndTheTargetPartitionPassesE2fsck()
    {
        // Given: an image whose ext4 partition has a deleted 8 MiB file: stale data in free space.
        await using var h = await ReplicationHarness.StartAsync();
        var image = await PartitionedImageAsync(h.Directory, deleteAfterwards: "/stale.bin");

        // When
        var (source, inventory) = await new DiskInspector().OpenValidBlocksAsync(image);
        ReplicationResult result;
        await using (source)
        {
            result = await new Sms.Engine.BlockReplicator().ReplicateAsync(source, h.Pairing, "disk0", h.State, new ReplicationSettings { Workers = 2, MaxBuffers = 4, Verify = true });
        }

        // Then: the stale 8 MiB were neither read nor sent, and the file system on the target is sound.
        Assert.True(result.Verified);
        Assert.Equal(inventory.ValidBytes, result.ValidBytes);
        Assert.True(result.BytesScanned < 6 * Mib, $"scanned {result.BytesScanned}");
        var rootTarget = h.Directory.Combine("root-target.img");
        ExtractPartition(h.VolumePath(), inventory.PartitionTable.Partitions[0], rootTarget);
        Images.Run("e2fsck", "-fn", rootTarget);
        Assert.Equal(File.ReadAllBytes(h.Directory.Combine("tree", "etc", "fstab")), DebugfsCat(rootTarget, "/etc/fstab"));
        Assert.Equal(File.ReadAllBytes(h.Directory.Combine("tree", "data.bin")), DebugfsCat(rootTarget, "/data.bin"));
    }

    [Fact]
    public async Task Replicate_Incremental_SendsNewlyUsedBlocksAndNoDataForFreedOnes()
    {
        // Given
        await using var h = await ReplicationHarness.StartAsync();
        var image = await PartitionedImageAsync(h.Directory);
        await ReplicateWithMapAsync(h, image);
        var added = h.Directory.Combine("added.bin");
        File.WriteAllBytes(added, RandomBytes(3 * (int)Mib, 5));
        var root = h.Directory.Combine("root-now.img");

        // When: inside the ext4 partition, a 3 MiB file is written and the 2 MiB data.bin deleted.
        EditPartition(image, root, $"write {added} /added.bin", "rm /data.bin");
        var result = await ReplicateWithMapAsync(h, image);

        // Then: the 3 MiB of new data (at most 4 blocks) and a few metadata blocks go over, whatever compression
        // decides; the blocks data.bin freed cost no data, only zero frames. Without the map they would be resent.
        Assert.Equal(ReplicationMode.Incremental, result.Mode);
        Assert.InRange(result.BytesSent, 3 * Mib, 9 * Mib);
        Assert.InRange(result.BytesWritten, 3 * Mib, 10 * Mib);
        Assert.True(result.Verified);
        var rootTarget = h.Directory.Combine("root-target.img");
        ExtractPartition(h.VolumePath(), (await InspectAsync(image)).PartitionTable.Partitions[0], rootTarget);
        Images.Run("e2fsck", "-fn", rootTarget);
        Assert.Equal(File.ReadAllBytes(added), DebugfsCat(rootTarget, "/added.bin"));
    }

    private static async Task<ReplicationResult> ReplicateWithMapAsync(ReplicationHarness h, string image)
    {
        var (source, _) = await new DiskInspector().OpenValidBlocksAsync(image);
        await using (source)
        {
            return await new Sms.Engine.BlockReplicator().ReplicateAsync(source, h.Pairing, "disk0", h.State, new ReplicationSettings { Workers = 2, MaxBuffers = 4, Verify = true });
        }
    }

    private static async Task<DiskInventory> InspectAsync(string image)
    {
        await using var disk = FileBlockSource.Open(image);
        return (await new DiskInspector().InspectAsync(disk)).Inventory;
    }

    /// <summary>GPT: 1 MiB gap, a 40 MiB ext4 "rootfs" with files, a 16 MiB swap, a 20 MiB empty partition.</summary>
    private static async Task<string> PartitionedImageAsync(TempDirectory dir, string? deleteAfterwards = null)
    {
        var image = dir.Combine("disk.img");
        var tree = dir.Combine("tree");
        Directory.CreateDirectory(Path.Combine(tree, "etc"));
        await File.WriteAllTextAsync(Path.Combine(tree, "etc", "fstab"), "LABEL=rootfs / ext4 defaults 0 1\n");
        await File.WriteAllBytesAsync(Path.Combine(tree, "data.bin"), RandomBytes(2 * (int)Mib, 1));
        if (deleteAfterwards is not null)
        {
            await File.WriteAllBytesAsync(Path.Combine(tree, deleteAfterwards.TrimStart('/')), RandomBytes(8 * (int)Mib, 2));
        }

        var root = dir.Combine("root.img");
        Images.Run("mkfs.ext4", "-q", "-F", "-b", "1024", "-L", "rootfs", "-d", tree, root, "40M");
        if (deleteAfterwards is not null)
        {
            Images.Run("debugfs", "-w", "-R", $"rm {deleteAfterwards}", root);
            File.Delete(Path.Combine(tree, deleteAfterwards.TrimStart('/')));
        }

        var swap = dir.Combine("swap.img");
        using (var f = File.Create(swap))
        {
            f.SetLength(16 * Mib);
        }

        Images.Run("mkswap", "-q", "-L", "swap0", swap);
        using (var f = File.Create(image))
        {
            f.SetLength(80 * Mib);
        }

        Images.Run("sgdisk", "-n", "1:2048:+40M", "-c", "1:root", "-t", "1:8300", "-n", "2:0:+16M", "-t", "2:8200", "-n", "3:0:+20M", image);
        CopyInto(root, image, Mib);
        CopyInto(swap, image, 41 * Mib);
        return image;
    }

    private static void CopyInto(string part, string image, long offset)
    {
        using var from = File.OpenRead(part);
        using var to = new FileStream(image, FileMode.Open, FileAccess.Write);
        var buffer = new byte[Mib];
        long at = 0;
        int n;
        while ((n = from.Read(buffer)) > 0)
        {
            if (buffer.AsSpan(0, n).ContainsAnyExcept((byte)0))
            {
                to.Position = offset + at;
                to.Write(buffer, 0, n);
            }

            at += n;
        }
    }

    private static void ExtractPartition(string image, PartitionDescription partition, string destination)
    {
        using var from = File.OpenRead(image);
        using var to = File.Create(destination);
        from.Position = partition.Start;
        var buffer = new byte[partition.Length];
        from.ReadExactly(buffer);
        to.Write(buffer);
    }

    private static void EditPartition(string image, string scratch, params string[] debugfsCommands)
    {
        var partition = new PartitionDescription { Number = 1, Start = Mib, Length = 40 * Mib, Type = "x" };
        ExtractPartition(image, partition, scratch);
        foreach (var command in debugfsCommands)
        {
            Images.Run("debugfs", "-w", "-R", command, scratch);
        }

        using var from = File.OpenRead(scratch);
        using var to = new FileStream(image, FileMode.Open, FileAccess.Write);
        to.Position = Mib;
        from.CopyTo(to);
    }

    private static byte[] DebugfsCat(string fs, string path)
    {
        var file = Path.Combine(Path.GetDirectoryName(fs)!, "dumped-" + Path.GetFileName(path));
        Images.Run("debugfs", "-R", $"dump {path} {file}", fs);
        return File.ReadAllBytes(file);
    }

    private static long AllocatedBlocksByDumpe2fs(string fs)
    {
        var header = Images.Run("dumpe2fs", "-h", fs);
        long Field(string name)
        {
            foreach (var line in header.Split('\n'))
            {
                if (line.StartsWith(name + ":", StringComparison.Ordinal))
                {
                    return long.Parse(line[(name.Length + 1)..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            throw new InvalidOperationException($"dumpe2fs printed no {name}");
        }

        return Field("Block count") - Field("Free blocks");
    }

    private static long Sum(IReadOnlyList<BlockRange> ranges) => BlockRanges.TotalLength(ranges);

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
