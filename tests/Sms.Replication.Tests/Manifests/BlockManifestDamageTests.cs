using System.Buffers.Binary;
using Sms.Manifests;
using Sms.Replication.Tests.Blocks;

namespace Sms.Replication.Tests.Manifests;

public sealed class BlockManifestDamageTests : IDisposable
{
    private const int BlockSize = 4096;
    private const int HeaderSize = 64;
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private string CreateManifest(bool clean = false)
    {
        var path = _directory.File("disk.manifest");
        using var manifest = BlockManifest.CreateEmpty(path, 16 * BlockSize, BlockSize, Guid.NewGuid());
        manifest.Set(2, new UInt128(3, 4));
        if (clean)
        {
            manifest.MarkClean();
        }

        return path;
    }

    private static void Patch(string path, int offset, ReadOnlySpan<byte> bytes)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        RandomAccess.Write(handle, bytes, offset);
    }

    [Fact]
    public void TryOpen_MissingFile_ReturnsNullWithReason()
    {
        // Given
        var path = _directory.File("missing.manifest");

        // When
        var manifest = BlockManifest.TryOpen(path, out var reason);

        // Then
        Assert.Null(manifest);
        Assert.Equal("no manifest from an earlier pass", reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(HeaderSize - 1)]
    [InlineData(HeaderSize)]
    [InlineData(HeaderSize + (16 * 16) - 1)]
    public void TryOpen_TruncatedFile_ReturnsNullAsDamaged(int length)
    {
        // Given
        var path = CreateManifest();
        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.SetLength(length);
        }

        // When
        var manifest = BlockManifest.TryOpen(path, out var reason);

        // Then
        Assert.Null(manifest);
        Assert.Equal("the manifest is damaged", reason);
    }

    [Fact]
    public void TryOpen_ExtraBytesAtEnd_ReturnsNullAsDamaged()
    {
        // Given
        var path = CreateManifest();
        using (var stream = new FileStream(path, FileMode.Append))
        {
            stream.WriteByte(0);
        }

        // When
        var manifest = BlockManifest.TryOpen(path, out var reason);

        // Then
        Assert.Null(manifest);
        Assert.Equal("the manifest is damaged", reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void TryOpen_WrongMagic_ReturnsNullAsDamaged(int position)
    {
        // Given
        var path = CreateManifest();
        Patch(path, position, [(byte)'X']);

        // When
        var manifest = BlockManifest.TryOpen(path, out var reason);

        // Then
        Assert.Null(manifest);
        Assert.Equal("the manifest is damaged", reason);
    }

    [Fact]
    public void TryOpen_OtherFormatVersion_ReturnsNullAsDamaged()
    {
        // Given
        var path = CreateManifest();
        var version = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(version, 2);
        Patch(path, 4, version);

        // When
        var manifest = BlockManifest.TryOpen(path, out var reason);

        // Then
        Assert.Null(manifest);
        Assert.Equal("the manifest is damaged", reason);
    }

    [Fact]
    public void TryOpen_SourceLengthNotMatchingFileSize_ReturnsNullAsDamaged()
    {
        // Given
        var path = CreateManifest();
        var length = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(length, 17 * BlockSize);
        Patch(path, 16, length);

        // When
        var manifest = BlockManifest.TryOpen(path, out var reason);

        // Then
        Assert.Null(manifest);
        Assert.Equal("the manifest is damaged", reason);
    }

    [Fact]
    public void TryOpen_NegativeSourceLength_ReturnsNullAsDamaged()
    {
        // Given
        var path = CreateManifest();
        Patch(path, 16, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);

        // When
        var manifest = BlockManifest.TryOpen(path, out var reason);

        // Then
        Assert.Null(manifest);
        Assert.Equal("the manifest is damaged", reason);
    }

    [Fact]
    public void TryOpen_BlockSizeAboveIntMax_ReturnsNullAsDamaged()
    {
        // Given
        var path = CreateManifest();
        Patch(path, 8, [0x80, 0x00, 0x10, 0x00]);

        // When
        var manifest = BlockManifest.TryOpen(path, out var reason);

        // Then
        Assert.Null(manifest);
        Assert.Equal("the manifest is damaged", reason);
    }

    [Fact]
    public void TryOpen_ZeroBlockSize_ReturnsNullAsDamaged()
    {
        // Given
        var path = CreateManifest();
        Patch(path, 8, [0, 0, 0, 0]);

        // When
        var manifest = BlockManifest.TryOpen(path, out var reason);

        // Then
        Assert.Null(manifest);
        Assert.Equal("the manifest is damaged", reason);
    }

    [Fact]
    public void TryOpen_UncleanFromAnotherBoot_ReturnsNullWithRebootReason()
    {
        // Given
        var path = CreateManifest(clean: false);
        Patch(path, 40, Guid.NewGuid().ToByteArray(bigEndian: true));

        // When
        var manifest = BlockManifest.TryOpen(path, out var reason);

        // Then
        Assert.Null(manifest);
        Assert.Equal("the last pass did not finish and the machine rebooted since", reason);
    }

    [Fact]
    public void TryOpen_CleanFromAnotherBoot_Opens()
    {
        // Given
        var path = CreateManifest(clean: true);
        Patch(path, 40, Guid.NewGuid().ToByteArray(bigEndian: true));

        // When
        using var manifest = BlockManifest.TryOpen(path, out var reason);

        // Then
        Assert.NotNull(manifest);
        Assert.Null(reason);
        Assert.Equal(new UInt128(3, 4), manifest.Get(2));
    }

    [Fact]
    public void MarkDirty_AfterClean_IsUncleanAgain()
    {
        // Given
        var path = CreateManifest(clean: true);
        using (var manifest = BlockManifest.TryOpen(path, out _))
        {
            Assert.NotNull(manifest);

            // When
            manifest.MarkDirty();
        }

        // Then: an unclean manifest from another boot is refused.
        Patch(path, 40, Guid.NewGuid().ToByteArray(bigEndian: true));
        Assert.Null(BlockManifest.TryOpen(path, out var reason));
        Assert.Contains("rebooted", reason, StringComparison.Ordinal);
    }
}
