using System.Globalization;
using System.Text.RegularExpressions;
using Sms.Replication.Tests.Discovery.Fat;

namespace Sms.Replication.Tests.Discovery.Ntfs;

/// <summary>NTFS images made by mkfs.ntfs -Q and filled with ntfscp (no mount needed).</summary>
public static partial class NtfsImage
{
    public const string Package = "ntfs-3g";

    public sealed record Made(string Path, IReadOnlyDictionary<string, byte[]> Files);

    public sealed record UsageReport(long Clusters, long FreeClusters, int ClusterBytes);

    public static Made Create(ScratchDirectory directory, int sizeMiB, int clusterBytes, string label)
    {
        var path = directory.SparseImage($"ntfs-{clusterBytes}.img", (long)sizeMiB << 20);
        DiskTool.RunChecked("mkfs.ntfs", Package, "-F", "-Q", "-s", "512", "-c", clusterBytes.ToString(CultureInfo.InvariantCulture), "-L", label, path);
        var files = new Dictionary<string, byte[]>
        {
            ["/hello.txt"] = "hello, ntfs\n"u8.ToArray(), // resident: inside its MFT record
            ["/one.bin"] = Content(300_000, 1),
            ["/two.bin"] = Content(1_500_000, 2),
            ["/three.bin"] = Content(70_000, 3),
            ["/four.bin"] = Content(4_000_000, 4),
        };
        foreach (var (name, content) in files)
        {
            var local = directory.File("in-" + name.TrimStart('/'));
            File.WriteAllBytes(local, content);
            DiskTool.RunChecked("ntfscp", Package, path, local, name);
        }

        return new Made(path, files);
    }

    /// <summary>ntfsinfo -m: the volume's clusters and the free ones.</summary>
    public static UsageReport NtfsInfo(string image)
    {
        var output = DiskTool.RunChecked("ntfsinfo", Package, "-m", image);
        return new UsageReport(
            Number(VolumeClustersPattern(), output),
            Number(FreeClustersPattern(), output),
            (int)Number(ClusterSizePattern(), output));
    }

    /// <summary>ntfscluster -i: the free clusters.</summary>
    public static long NtfsClusterFree(string image)
        => Number(ClusterFreePattern(), DiskTool.RunChecked("ntfscluster", Package, "-i", image));

    public static byte[] Cat(string image, string path)
    {
        if (!DiskTool.IsInstalled("ntfscat"))
        {
            throw new InvalidOperationException($"'ntfscat' is not installed (apt-get install {Package})");
        }

        var output = Path.Combine(Path.GetDirectoryName(image)!, "cat-" + Guid.NewGuid().ToString("N"));
        DiskTool.RunChecked("sh", "dash", "-c", "ntfscat \"$0\" \"$1\" > \"$2\"", image, path, output);
        return File.ReadAllBytes(output);
    }

    private static long Number(Regex pattern, string output)
    {
        var match = pattern.Match(output);
        Assert.True(match.Success, $"'{pattern}' not in the output: {output}");
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static byte[] Content(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [GeneratedRegex(@"Volume Size in Clusters:\s*(\d+)")]
    private static partial Regex VolumeClustersPattern();

    [GeneratedRegex(@"Free Clusters:\s*(\d+)")]
    private static partial Regex FreeClustersPattern();

    [GeneratedRegex(@"Cluster Size:\s*(\d+)")]
    private static partial Regex ClusterSizePattern();

    [GeneratedRegex(@"clusters of free space\s*:\s*(\d+)")]
    private static partial Regex ClusterFreePattern();
}
