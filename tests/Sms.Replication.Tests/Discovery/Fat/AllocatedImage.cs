using Sms.Blocks;
using Sms.Discovery;
using Sms.Discovery.FileSystems;

namespace Sms.Replication.Tests.Discovery.Fat;

/// <summary>Checks allocation maps and builds images holding only the allocated ranges.</summary>
public static class AllocatedImage
{
    /// <summary>Fails unless the ranges are non-empty, ascending, non-touching (coalesced) and inside the length.</summary>
    public static void AssertWellFormed(IReadOnlyList<BlockRange> ranges, long length)
    {
        long previousEnd = -1;
        foreach (var range in ranges)
        {
            Assert.True(range.Length > 0, $"empty range {range}");
            Assert.True(range.Offset > previousEnd, $"range {range} is not after the previous end {previousEnd}");
            Assert.True(range.End <= length, $"range {range} ends past {length}");
            previousEnd = range.End;
        }
    }

    /// <summary>Writes a sparse copy of <paramref name="source"/> that holds only the given ranges.</summary>
    public static void CopyRanges(string source, string destination, IReadOnlyList<BlockRange> ranges)
    {
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read);
        using var output = new FileStream(destination, FileMode.Create, FileAccess.Write);
        output.SetLength(input.Length);
        var buffer = new byte[1 << 20];
        foreach (var range in ranges)
        {
            for (var at = range.Offset; at < range.End;)
            {
                var count = (int)Math.Min(buffer.Length, range.End - at);
                input.Position = at;
                input.ReadExactly(buffer, 0, count);
                output.Position = at;
                output.Write(buffer, 0, count);
                at += count;
            }
        }
    }

    /// <summary>Probes an image file and reads its map; fails when either is missing.</summary>
    public static async Task<(FileSystemDescription Description, IReadOnlyList<BlockRange> Ranges)> ReadAsync(IFileSystemReader reader, string image)
    {
        await using var disk = FileBlockSource.Open(image);
        var description = await reader.ProbeAsync(disk, 0, disk.Length);
        Assert.NotNull(description);
        var ranges = await reader.GetAllocatedRangesAsync(disk, 0, disk.Length, description);
        Assert.NotNull(ranges);
        AssertWellFormed(ranges, disk.Length);
        return (description, ranges);
    }
}
