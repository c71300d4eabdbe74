using System.Globalization;

namespace Sms.Replication.Tests.Discovery.Ext;

/// <summary>What <c>dumpe2fs IMAGE</c> prints: header counts and every group's free block ranges.</summary>
internal sealed class Dumpe2fsReport
{
    /// <summary>The header's "Block count:".</summary>
    public long BlockCount { get; private init; }

    /// <summary>The header's "Free blocks:" (the superblock's count).</summary>
    public long FreeBlocks { get; private init; }

    /// <summary>The header's "Block size:".</summary>
    public int BlockSize { get; private init; }

    /// <summary>"Filesystem UUID:".</summary>
    public string Uuid { get; private init; } = "";

    /// <summary>"Filesystem volume name:" ("&lt;none&gt;" when empty).</summary>
    public string VolumeName { get; private init; } = "";

    /// <summary>"Filesystem features:".</summary>
    public IReadOnlyList<string> Features { get; private init; } = [];

    /// <summary>The number of "Group N:" sections.</summary>
    public int GroupCount { get; private init; }

    /// <summary>The per-group "Free blocks:" ranges, in blocks, half-open, sorted and merged.</summary>
    public IReadOnlyList<(long Start, long End)> FreeRanges { get; private init; } = [];

    /// <summary>The blocks of the file system that the per-group lists do not call free, half-open, sorted and merged.</summary>
    public IReadOnlyList<(long Start, long End)> UsedRanges => Complement(FreeRanges, BlockCount);

    public static Dumpe2fsReport Parse(string output)
    {
        long blockCount = 0, freeBlocks = 0;
        int blockSize = 0, clusterSize = 0, groups = 0;
        string uuid = "", name = "";
        IReadOnlyList<string> features = [];
        var free = new List<(long Start, long End)>();
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith("Group ", StringComparison.Ordinal) && char.IsAsciiDigit(line[6]))
            {
                groups++;
            }
            else if (line.StartsWith("  Free blocks:", StringComparison.Ordinal))
            {
                // With bigalloc each range is "first block of first cluster - first block of last cluster".
                var ratio = clusterSize > blockSize ? clusterSize / blockSize : 1;
                foreach (var part in line["  Free blocks:".Length..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var dash = part.IndexOf('-', StringComparison.Ordinal);
                    var first = long.Parse(dash < 0 ? part : part[..dash], CultureInfo.InvariantCulture);
                    var last = dash < 0 ? first : long.Parse(part[(dash + 1)..], CultureInfo.InvariantCulture);
                    free.Add((first, last + ratio));
                }
            }
            else if (!line.StartsWith(' ') && line.Contains(':', StringComparison.Ordinal))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var key = line[..colon];
                var value = line[(colon + 1)..].Trim();
                switch (key)
                {
                    case "Block count": blockCount = long.Parse(value, CultureInfo.InvariantCulture); break;
                    case "Free blocks": freeBlocks = long.Parse(value, CultureInfo.InvariantCulture); break;
                    case "Block size": blockSize = int.Parse(value, CultureInfo.InvariantCulture); break;
                    case "Cluster size": clusterSize = int.Parse(value, CultureInfo.InvariantCulture); break;
                    case "Filesystem UUID": uuid = value; break;
                    case "Filesystem volume name": name = value; break;
                    case "Filesystem features": features = value.Split(' ', StringSplitOptions.RemoveEmptyEntries); break;
                }
            }
        }

        return new Dumpe2fsReport
        {
            BlockCount = blockCount,
            FreeBlocks = freeBlocks,
            BlockSize = blockSize,
            Uuid = uuid,
            VolumeName = name,
            Features = features,
            GroupCount = groups,
            FreeRanges = Merge(free, blockCount),
        };
    }

    /// <summary>Sorts, clips to the block count and merges touching ranges.</summary>
    public static List<(long Start, long End)> Merge(IEnumerable<(long Start, long End)> ranges, long limit)
    {
        var merged = new List<(long Start, long End)>();
        foreach (var (start, end) in ranges.Select(r => (r.Start, Math.Min(r.End, limit))).Where(r => r.Start < r.Item2).OrderBy(r => r.Start))
        {
            if (merged.Count > 0 && merged[^1].End >= start)
            {
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, end));
            }
            else
            {
                merged.Add((start, end));
            }
        }

        return merged;
    }

    /// <summary>The blocks of <c>[0, limit)</c> not in the sorted, merged ranges.</summary>
    public static List<(long Start, long End)> Complement(IReadOnlyList<(long Start, long End)> ranges, long limit)
    {
        var result = new List<(long Start, long End)>();
        long at = 0;
        foreach (var (start, end) in ranges)
        {
            if (start > at)
            {
                result.Add((at, start));
            }

            at = Math.Max(at, end);
        }

        if (at < limit)
        {
            result.Add((at, limit));
        }

        return result;
    }
}
