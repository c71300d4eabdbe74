using FsCheck;
using FsCheck.Xunit;
using Sms.Manifests;

namespace Sms.Replication.Tests.Manifests;

public sealed class BlockManifestCountBlocksTests
{
    [Theory]
    [InlineData(0L, 4096, 0L)]
    [InlineData(1L, 4096, 1L)]
    [InlineData(4095L, 4096, 1L)]
    [InlineData(4096L, 4096, 1L)]
    [InlineData(4097L, 4096, 2L)]
    [InlineData(1L << 40, 1 << 20, 1L << 20)]
    [InlineData((1L << 40) + 1, 1 << 20, (1L << 20) + 1)]
    public void CountBlocks_LengthAndBlockSize_IsCeilingOfQuotient(long sourceLength, int blockSize, long expected)
    {
        // Given / When
        var count = BlockManifest.CountBlocks(sourceLength, blockSize);

        // Then
        Assert.Equal(expected, count);
    }

    [Property(MaxTest = 200)]
    public void CountBlocks_AnyLength_BlocksCoverTheLengthWithLessThanOneBlockToSpare(NonNegativeInt lengthSeed, PositiveInt blockSizeSeed)
    {
        // Given
        var sourceLength = (long)lengthSeed.Get * 1021;
        var blockSize = blockSizeSeed.Get;

        // When
        var count = BlockManifest.CountBlocks(sourceLength, blockSize);

        // Then
        Assert.True(count * blockSize >= sourceLength);
        Assert.True((count * blockSize) - sourceLength < blockSize);
    }

    [Fact]
    public void PathFor_StateDirectoryAndVolume_IsVolumeDotManifestInsideIt()
    {
        // Given / When
        var path = BlockManifest.PathFor("/var/lib/sms", "disk0");

        // Then
        Assert.Equal(Path.Combine("/var/lib/sms", "disk0.manifest"), path);
    }
}
