using FsCheck;
using FsCheck.Xunit;
using Sms.Blocks;
using Sms.Manifests;
using Sms.Replication.Tests.Blocks;

namespace Sms.Replication.Tests.Manifests;

public sealed class BlockManifestRoundTripTests : IDisposable
{
    private const int BlockSize = 4096;
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void CreateEmpty_SourceLength_HasOneZeroEntryPerBlock()
    {
        // Given
        var path = _directory.File("state/disk.manifest");
        var volumeId = Guid.NewGuid();

        // When
        using var manifest = BlockManifest.CreateEmpty(path, (10 * BlockSize) + 1, BlockSize, volumeId);

        // Then
        Assert.Equal(11, manifest.BlockCount);
        Assert.Equal((10 * BlockSize) + 1, manifest.SourceLength);
        Assert.Equal(BlockSize, manifest.BlockSize);
        Assert.Equal(volumeId, manifest.VolumeId);
        Assert.Equal(path, manifest.Path);
        Assert.All(manifest.Entries.ToArray(), e => Assert.Equal(BlockHash.Zero, e));
        Assert.Equal(64 + (11 * 16), new FileInfo(path).Length);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void TryOpen_FreshEmptyManifest_ReadsAllZeroEntries()
    {
        // Given
        var path = _directory.File("disk.manifest");
        var volumeId = Guid.NewGuid();
        BlockManifest.CreateEmpty(path, 5 * BlockSize, BlockSize, volumeId).Dispose();

        // When
        using var manifest = BlockManifest.TryOpen(path, out var reason);

        // Then
        Assert.NotNull(manifest);
        Assert.Null(reason);
        Assert.Equal(5, manifest.BlockCount);
        Assert.Equal(volumeId, manifest.VolumeId);
        Assert.All(manifest.Entries.ToArray(), e => Assert.Equal(BlockHash.Zero, e));
    }

    [Property(MaxTest = 100, Arbitrary = [typeof(ManifestEntries)])]
    public void Set_ThenReopen_ReadsTheSameEntries(PositiveInt blockCount, EntryUpdate[] updates, bool markClean)
    {
        // Given
        var count = (blockCount.Get % 64) + 1;
        var sourceLength = ((long)count * BlockSize) - (blockCount.Get % BlockSize);
        var path = _directory.File($"{Guid.NewGuid():N}.manifest");
        var volumeId = Guid.NewGuid();
        var expected = new UInt128[count];
        using (var manifest = BlockManifest.CreateEmpty(path, sourceLength, BlockSize, volumeId))
        {
            foreach (var update in updates)
            {
                var index = update.IndexSeed % count;
                manifest.Set(index, update.Value);
                expected[index] = update.Value;
            }

            if (markClean)
            {
                manifest.MarkClean();
            }

            Assert.Equal(expected, manifest.Entries.ToArray());
        }

        // When
        using var reopened = BlockManifest.TryOpen(path, out var reason);

        // Then
        Assert.NotNull(reopened);
        Assert.Null(reason);
        Assert.Equal(expected, reopened.Entries.ToArray());
        Assert.Equal(sourceLength, reopened.SourceLength);
        Assert.Equal(BlockSize, reopened.BlockSize);
        Assert.Equal(volumeId, reopened.VolumeId);
        Assert.Equal(expected.Length, reopened.BlockCount);
        Assert.Equal(expected[^1], reopened.Get(count - 1));
    }

    [Fact]
    public void Set_ReservedValues_AreStoredToo()
    {
        // Given
        var path = _directory.File("disk.manifest");
        using (var manifest = BlockManifest.CreateEmpty(path, 3 * BlockSize, BlockSize, Guid.NewGuid()))
        {
            manifest.Set(0, BlockHash.Unknown);
            manifest.Set(1, new UInt128(1, 2));
            manifest.Set(1, BlockHash.Zero);
        }

        // When
        using var reopened = BlockManifest.TryOpen(path, out _);

        // Then
        Assert.NotNull(reopened);
        Assert.Equal([BlockHash.Unknown, BlockHash.Zero, BlockHash.Zero], reopened.Entries.ToArray());
    }

    [Fact]
    public void CreateEmpty_OverExistingManifest_ReplacesIt()
    {
        // Given
        var path = _directory.File("disk.manifest");
        using (var old = BlockManifest.CreateEmpty(path, 8 * BlockSize, BlockSize, Guid.NewGuid()))
        {
            old.Set(3, new UInt128(7, 7));
        }

        var volumeId = Guid.NewGuid();

        // When
        BlockManifest.CreateEmpty(path, 2 * BlockSize, BlockSize, volumeId).Dispose();
        using var reopened = BlockManifest.TryOpen(path, out _);

        // Then
        Assert.NotNull(reopened);
        Assert.Equal(2, reopened.BlockCount);
        Assert.Equal(volumeId, reopened.VolumeId);
        Assert.All(reopened.Entries.ToArray(), e => Assert.Equal(BlockHash.Zero, e));
    }

    [Fact]
    public void CreateEmpty_ZeroLengthSource_HasNoEntries()
    {
        // Given
        var path = _directory.File("empty.manifest");

        // When
        BlockManifest.CreateEmpty(path, 0, BlockSize, Guid.NewGuid()).Dispose();
        using var reopened = BlockManifest.TryOpen(path, out var reason);

        // Then
        Assert.NotNull(reopened);
        Assert.Null(reason);
        Assert.Equal(0, reopened.BlockCount);
    }
}
