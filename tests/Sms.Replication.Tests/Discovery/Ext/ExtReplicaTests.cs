using Sms.Blocks;
using Sms.Discovery.FileSystems.Ext;
using Xunit.Abstractions;

namespace Sms.Replication.Tests.Discovery.Ext;

/// <summary>The map is safe to replicate: a copy holding only the allocated ranges (zeros elsewhere) is a sound file system with the same files.</summary>
[Collection(ExtImageCollection.Name)]
public sealed class ExtReplicaTests(ExtImageFixture images, ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(ExtCase.Names), MemberType = typeof(ExtCase))]
    public async Task GetAllocatedRangesAsync_CopyOfAllocatedRangesOnly_PassesE2fsckAndKeepsEveryFile(string name)
    {
        // Given
        var image = images.Get(name);
        var copy = Path.Combine(images.Root, name, "copy.img");
        long copied;
        await using (var disk = FileBlockSource.Open(image.ImagePath))
        {
            var reader = new ExtFileSystemReader();
            var description = await reader.ProbeAsync(disk, 0, disk.Length);
            Assert.NotNull(description);
            var ranges = await reader.GetAllocatedRangesAsync(disk, 0, disk.Length, description);
            Assert.NotNull(ranges);

            // When
            copied = await CopyRangesAsync(disk, ranges, copy);
        }

        // Then
        output.WriteLine($"{name}: copied {copied} of {new FileInfo(image.ImagePath).Length} bytes");
        var (exit, fsck) = E2fsTools.CheckReadOnly(copy);
        Assert.True(exit == 0, $"e2fsck -fn on the copy exited {exit}:\n{fsck}");
        if (image.ContentDirectory is not null)
        {
            var dump = Path.Combine(images.Root, name, "dump");
            Directory.CreateDirectory(dump);
            E2fsTools.Debugfs(copy, $"rdump / {dump}");
            AssertSameTree(image.ContentDirectory, dump);
        }
    }

    /// <summary>Writes the ranges into a sparse file as long as the source; returns the bytes written.</summary>
    internal static async Task<long> CopyRangesAsync(FileBlockSource disk, IReadOnlyList<BlockRange> ranges, string path)
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
                await RandomAccess.WriteAsync(target, buffer.AsMemory(0, count), at);
                total += count;
            }
        }

        return total;
    }

    /// <summary>Every file under <paramref name="expected"/> is in <paramref name="actual"/> with the same bytes, and nothing else is (but lost+found).</summary>
    private static void AssertSameTree(string expected, string actual)
    {
        var want = Directory.GetFiles(expected, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(expected, p)).Order(StringComparer.Ordinal).ToList();
        var have = Directory.GetFiles(actual, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(actual, p))
            .Where(p => !p.StartsWith("lost+found", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(want, have);
        foreach (var file in want)
        {
            var a = File.ReadAllBytes(Path.Combine(expected, file));
            var b = File.ReadAllBytes(Path.Combine(actual, file));
            Assert.True(a.AsSpan().SequenceEqual(b), $"{file} differs in the copy");
        }
    }
}
