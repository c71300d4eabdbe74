using Sms.Manifests;
using Sms.Replication;
using Sms.Integration.Tests.Support;
using Xunit.Abstractions;

namespace Sms.Integration.Tests.Resources;

/// <summary>The manifest's size per TB of disk (PRODUCT.md: at most 32 MB per TB).</summary>
public sealed class ManifestSizeTests(ITestOutputHelper output)
{
    [Fact]
    public void CreateEmpty_OneTebibyteDiskAtTheDefaultBlockSize_IsAtMost32MBPerTB()
    {
        // Given
        using var dir = new TempDirectory();
        const long disk = 1L << 40;
        var path = BlockManifest.PathFor(dir.Path, "disk0");

        // When: the real file (sparse until written: its length is what a full disk's manifest takes).
        using (BlockManifest.CreateEmpty(path, disk, ReplicationSettings.DefaultBlockSize, Guid.NewGuid()))
        {
        }

        // Then
        var bytes = new FileInfo(path).Length;
        var perTerabyte = bytes / (disk / 1e12) / 1e6;
        output.WriteLine($"manifest of a 1 TiB disk at {ReplicationSettings.DefaultBlockSize >> 20} MiB blocks: {bytes:N0} bytes = {perTerabyte:F2} MB per TB (the source also holds the entries in memory: the same {bytes >> 20} MiB per TiB); at the smallest block size ({ReplicationSettings.MinBlockSize >> 10} KiB) it would be {perTerabyte * ReplicationSettings.DefaultBlockSize / ReplicationSettings.MinBlockSize:F0} MB per TB");
        Assert.InRange(perTerabyte, 1, 32);
    }
}
