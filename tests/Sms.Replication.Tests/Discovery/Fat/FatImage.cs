using System.Globalization;
using System.Text.RegularExpressions;

namespace Sms.Replication.Tests.Discovery.Fat;

/// <summary>What fsck.fat -n -v says about a volume.</summary>
public sealed record FsckFatReport(int Files, long UsedClusters, long Clusters, long DataStart, int ClusterBytes, int EntryBits, string Summary);

/// <summary>
/// FAT images made by mkfs.vfat and, when mtools is installed, filled with files (one of them fragmented by a
/// deletion). Without mtools (and without a kernel that mounts vfat) the images stay empty.
/// </summary>
public static partial class FatImage
{
    public const string Dosfstools = "dosfstools";
    public const string Mtools = "mtools";
    public const uint Serial = 0x1234ABCD;

    /// <summary>The files put in, by path inside the volume, with their content.</summary>
    public sealed record Made(string Path, IReadOnlyDictionary<string, byte[]> Files, bool Populated);

    public static Made Create(ScratchDirectory directory, int bits, int sizeMiB, int sectorsPerCluster, string label, bool populate = true)
    {
        var path = directory.SparseImage($"fat{bits}-{sizeMiB}.img", sizeMiB << 20);
        var arguments = new List<string> { "-F", bits.ToString(CultureInfo.InvariantCulture), "-n", label, "-i", Serial.ToString("x8", CultureInfo.InvariantCulture) };
        if (sectorsPerCluster > 0)
        {
            arguments.AddRange(["-s", sectorsPerCluster.ToString(CultureInfo.InvariantCulture)]);
        }

        arguments.Add(path);
        DiskTool.RunChecked("mkfs.vfat", Dosfstools, [.. arguments]);
        if (!populate || !DiskTool.IsInstalled("mcopy"))
        {
            return new Made(path, new Dictionary<string, byte[]>(), Populated: false);
        }

        var files = new Dictionary<string, byte[]>
        {
            ["/small.txt"] = "hello, fat\n"u8.ToArray(),
            ["/empty.txt"] = [],
            ["/a.bin"] = Content(50_000, 1),
            ["/dir/c.bin"] = Content(100_000, 2),
            ["/dir/d.bin"] = Content(60_000, 3),
            ["/last.txt"] = "the end\n"u8.ToArray(),
        };
        DiskTool.RunChecked("mmd", Mtools, "-i", path, "::/dir");
        Copy(directory, path, "/small.txt", files["/small.txt"]);
        Copy(directory, path, "/empty.txt", files["/empty.txt"]);
        Copy(directory, path, "/a.bin", files["/a.bin"]);
        Copy(directory, path, "/b.bin", Content(20_000, 4));
        Copy(directory, path, "/dir/c.bin", files["/dir/c.bin"]);
        DiskTool.RunChecked("mdel", Mtools, "-i", path, "::/b.bin");
        Copy(directory, path, "/dir/d.bin", files["/dir/d.bin"]); // fills b.bin's hole, then goes on: fragmented
        Copy(directory, path, "/tail.bin", Content(30_000, 5));
        Copy(directory, path, "/last.txt", files["/last.txt"]);
        DiskTool.RunChecked("mdel", Mtools, "-i", path, "::/tail.bin"); // leaves a free gap between allocated clusters
        return new Made(path, files, Populated: true);
    }

    /// <summary>Reads a file out of a FAT image with mcopy.</summary>
    public static byte[] ReadFile(ScratchDirectory directory, string image, string path)
    {
        var local = directory.File("out-" + Guid.NewGuid().ToString("N"));
        DiskTool.RunChecked("mcopy", Mtools, "-n", "-i", image, "::" + path, local);
        return File.ReadAllBytes(local);
    }

    public static FsckFatReport Fsck(string image)
    {
        var output = DiskTool.RunChecked("fsck.fat", Dosfstools, "-n", "-v", image);
        var summary = SummaryPattern().Match(output);
        Assert.True(summary.Success, $"no summary line in fsck.fat output: {output}");
        return new FsckFatReport(
            int.Parse(summary.Groups[1].Value, CultureInfo.InvariantCulture),
            long.Parse(summary.Groups[2].Value, CultureInfo.InvariantCulture),
            long.Parse(summary.Groups[3].Value, CultureInfo.InvariantCulture),
            Number(DataStartPattern(), output),
            (int)Number(ClusterBytesPattern(), output),
            (int)Number(EntryBitsPattern(), output),
            summary.Value);
    }

    private static long Number(Regex pattern, string output)
    {
        var match = pattern.Match(output);
        Assert.True(match.Success, $"'{pattern}' not in fsck.fat output: {output}");
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static void Copy(ScratchDirectory directory, string image, string path, byte[] content)
    {
        var local = directory.File("in-" + Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(local, content);
        DiskTool.RunChecked("mcopy", Mtools, "-i", image, local, "::" + path);
    }

    private static byte[] Content(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [GeneratedRegex(@"(\d+) files, (\d+)/(\d+) clusters")]
    private static partial Regex SummaryPattern();

    [GeneratedRegex(@"Data area starts at byte (\d+)")]
    private static partial Regex DataStartPattern();

    [GeneratedRegex(@"(\d+) bytes per cluster")]
    private static partial Regex ClusterBytesPattern();

    [GeneratedRegex(@"(\d+) bit entries")]
    private static partial Regex EntryBitsPattern();
}
