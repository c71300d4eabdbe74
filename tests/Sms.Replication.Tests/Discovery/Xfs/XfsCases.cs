namespace Sms.Replication.Tests.Discovery.Xfs;

/// <summary>The mkfs.xfs variants the tests run on, by name.</summary>
internal static class XfsCases
{
    private static readonly Dictionary<string, (long Size, string[] Arguments)> Fresh = new(StringComparer.Ordinal)
    {
        ["v5-300MiB"] = (300 * XfsImages.Mebibyte, []),
        ["v5-1GiB"] = (1024 * XfsImages.Mebibyte, []),
        ["v5-1GiB-labelled-rmapbt"] = (1024 * XfsImages.Mebibyte, ["-L", "sms-data", "-m", "rmapbt=1"]),
        ["v5-4KiB-sectors"] = (300 * XfsImages.Mebibyte, ["-s", "size=4096"]),
        ["v5-1KiB-blocks"] = (300 * XfsImages.Mebibyte, ["-b", "size=1024"]),
        ["v4-300MiB"] = (300 * XfsImages.Mebibyte, ["-m", "crc=0"]),
        ["v4-512B-blocks"] = (300 * XfsImages.Mebibyte, ["-m", "crc=0", "-b", "size=512"]),
    };

    public static TheoryData<string> FreshNames => [.. Fresh.Keys];

    public static TheoryData<string> PopulatedNames => ["v5-300MiB", "v5-1GiB-labelled-rmapbt", "v4-300MiB"];

    /// <summary>Small blocks, so that a few hundred free extents need a two-level bno b+tree.</summary>
    public static TheoryData<string> FragmentedNames => ["v5-1KiB-blocks", "v4-512B-blocks"];

    /// <summary>
    /// Formats <paramref name="image"/> as the named case (populated from <paramref name="files"/> when given).
    /// Returns false only when this mkfs.xfs no longer makes v4 file systems (xfsprogs is dropping them; xUnit 2
    /// cannot skip at run time, so such a case passes vacuously on those hosts).
    /// </summary>
    public static bool TryMake(string name, string workDirectory, string image, IReadOnlyList<XfsTestFile>? files = null)
    {
        var (size, arguments) = Fresh[name];
        if (files is not null)
        {
            arguments = [.. arguments, "-p", XfsImages.WriteProto(workDirectory, files)];
        }

        if (XfsTools.TryMakeFileSystem(image, size, out var error, arguments))
        {
            return true;
        }

        Assert.True(name.StartsWith("v4", StringComparison.Ordinal), $"mkfs.xfs {string.Join(' ', arguments)} failed: {error}");
        Assert.True(error.Contains("V4", StringComparison.OrdinalIgnoreCase) || error.Contains("crc", StringComparison.OrdinalIgnoreCase), error);
        return false;
    }
}
