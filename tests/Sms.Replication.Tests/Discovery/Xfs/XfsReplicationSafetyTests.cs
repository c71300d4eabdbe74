using Sms.Blocks;
using Sms.Discovery.FileSystems.Xfs;
using Sms.Replication.Tests.Blocks;
using Xunit.Abstractions;

namespace Sms.Replication.Tests.Discovery.Xfs;

public sealed class XfsReplicationSafetyTests(ITestOutputHelper output)
{
    private readonly XfsFileSystemReader _reader = new();

    [Theory]
    [InlineData("v5-300MiB", false)]
    [InlineData("v5-1GiB-labelled-rmapbt", false)]
    [InlineData("v4-300MiB", false)]
    [InlineData("v5-1KiB-blocks", true)]
    [InlineData("v4-512B-blocks", true)]
    public async Task CopyOfAllocatedRanges_ProtoPopulatedImage_PassesXfsRepairWithIdenticalFiles(string name, bool fragment)
    {
        // Given: a populated image (optionally with fragmented free space) and a copy of only the mapped ranges
        using var temp = new TempDirectory();
        var image = temp.File("fs.img");
        IReadOnlyList<XfsTestFile> files = fragment ? [.. XfsImages.SmallFiles(300), .. XfsImages.AssortedFiles()] : XfsImages.AssortedFiles();
        if (!XfsCases.TryMake(name, temp.Path, image, files))
        {
            return; // this mkfs.xfs no longer makes v4 file systems
        }

        if (fragment)
        {
            XfsImages.PunchEveryOtherSmallFile(image);
        }

        var copy = temp.File("copy.img");
        long copied;
        await using (var disk = FileBlockSource.Open(image))
        {
            var description = await _reader.ProbeAsync(disk, 0, disk.Length);
            var ranges = await _reader.GetAllocatedRangesAsync(disk, 0, disk.Length, description!);
            Assert.NotNull(ranges);

            // When
            copied = await CopyRangesAsync(disk, copy, ranges);
        }

        // Then: xfs_repair finds nothing to fix, and every file reads back the same through its own extent map
        var (exit, repairOutput) = XfsTools.Repair(copy, checkOnly: true);
        Assert.True(exit == 0, $"xfs_repair -n on the copy exited {exit}: {repairOutput}");
        var checkedFiles = AssertFilesIdentical(copy, files);
        output.WriteLine($"{name}{(fragment ? " fragmented" : string.Empty)}: copied {copied} of {new FileInfo(image).Length} bytes; xfs_repair -n exit 0; {checkedFiles} files compared");
        Assert.True(copied < new FileInfo(image).Length / 2, "the map should leave most of a near-empty file system out");
    }

    private static async Task<long> CopyRangesAsync(FileBlockSource disk, string path, IReadOnlyList<BlockRange> ranges)
    {
        using var target = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite);
        RandomAccess.SetLength(target, disk.Length);
        var buffer = new byte[1 << 20];
        long total = 0;
        foreach (var range in ranges)
        {
            for (var at = range.Offset; at < range.End; at += buffer.Length)
            {
                var count = (int)Math.Min(buffer.Length, range.End - at);
                var read = await disk.ReadAsync(at, buffer.AsMemory(0, count));
                Assert.Equal(count, read);
                RandomAccess.Write(target, buffer.AsSpan(0, count), at);
                total += count;
            }
        }

        return total;
    }

    /// <summary>Reads each surviving file from the copy through its bmap (from xfs_db on the copy) and compares.</summary>
    private static int AssertFilesIdentical(string copy, IReadOnlyList<XfsTestFile> files)
    {
        var sb = XfsTools.Fields(copy, "sb 0");
        var blockSize = XfsTools.Field(sb, "blocksize");
        var agBlocks = XfsTools.Field(sb, "agblocks");
        var directories = new Dictionary<string, Dictionary<string, ulong>>(StringComparer.Ordinal);
        using var handle = File.OpenHandle(copy);
        var compared = 0;
        foreach (var file in files)
        {
            var slash = file.Path.LastIndexOf('/');
            var directory = slash < 0 ? "/" : "/" + file.Path[..slash];
            if (!directories.TryGetValue(directory, out var entries))
            {
                entries = XfsTools.List(copy, directory);
                directories[directory] = entries;
            }

            if (!entries.TryGetValue(file.Path[(slash + 1)..], out var inode))
            {
                // Only the punched "z" files may be gone.
                Assert.StartsWith("z", file.Path, StringComparison.Ordinal);
                continue;
            }

            var content = new byte[file.Content.Length];
            foreach (var (fileBlock, ag, agBlock, count) in XfsTools.Bmap(copy, inode))
            {
                var fileOffset = fileBlock * blockSize;
                if (fileOffset >= content.Length)
                {
                    continue;
                }

                var length = (int)Math.Min(count * blockSize, content.Length - fileOffset);
                var diskOffset = ((ag * agBlocks) + agBlock) * blockSize;
                Assert.Equal(length, RandomAccess.Read(handle, content.AsSpan((int)fileOffset, length), diskOffset));
            }

            Assert.True(file.Content.AsSpan().SequenceEqual(content), $"{file.Path} differs in the copy");
            compared++;
        }

        return compared;
    }
}
