using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sms.Discovery.FileSystems.Ntfs;
using Sms.Replication.Tests.Discovery.Fat;

namespace Sms.Replication.Tests.Discovery.Ntfs;

public sealed class NtfsMalformedInputTests
{
    private static readonly NtfsFileSystemReader Reader = new();

    /// <summary>A real 4 MiB volume from mkfs.ntfs with a file in it, made once.</summary>
    private static readonly Lazy<(byte[] Image, int MftStart)> Real = new(() =>
    {
        using var directory = new ScratchDirectory();
        var path = directory.SparseImage("fuzz.img", 4 << 20);
        DiskTool.RunChecked("mkfs.ntfs", NtfsImage.Package, "-F", "-Q", "-s", "512", "-c", "1024", path);
        var local = directory.RandomFile("file.bin", 200_000, 7);
        DiskTool.RunChecked("ntfscp", NtfsImage.Package, path, local, "/file.bin");
        var image = File.ReadAllBytes(path);
        Assert.True(NtfsBootSector.TryParse(image, out var bootSector));
        return (image, (int)(bootSector.MftLcn * bootSector.ClusterBytes));
    });

    public static Arbitrary<byte[]> Disks() => Arb.From(ReaderFuzz.RandomDisks);

    public static Arbitrary<(int Position, byte Value)[]> Mutations() => Arb.From(ReaderFuzz.Mutations);

    [Property(MaxTest = 300, Arbitrary = [typeof(NtfsMalformedInputTests)])]
    public void ProbeAsync_RandomBytes_NeverThrows(byte[] disk)
    {
        ReaderFuzz.ProbeAndMap(Reader, disk);
    }

    [Property(MaxTest = 100, Arbitrary = [typeof(NtfsMalformedInputTests)])]
    public void ProbeAsync_RealVolumeWithCorruptBootSectorOrMft_NeverThrows((int Position, byte Value)[] mutations)
    {
        var (image, mftStart) = Real.Value;
        ReaderFuzz.ProbeAndMap(Reader, ReaderFuzz.Mutate(image, mutations, 0, 512));
        ReaderFuzz.ProbeAndMap(Reader, ReaderFuzz.Mutate(image, mutations, mftStart, 8 * 1024));
        ReaderFuzz.ProbeAndMap(Reader, ReaderFuzz.Mutate(image, mutations, 0, image.Length));
        ReaderFuzz.ProbeAndMap(Reader, image, length: mutations[0].Position % (image.Length + 1));
    }

    [Fact]
    public async Task ProbeAsync_RealVolumeUntouched_IsMapped()
    {
        // Given: the control for the property above.
        var (image, _) = Real.Value;
        var disk = new MemoryDisk(image);

        // When
        var description = await Reader.ProbeAsync(disk, 0, image.Length);

        // Then
        Assert.NotNull(description);
        Assert.NotNull(description.UsedBytes);
        Assert.Null(description.Note);
    }
}
