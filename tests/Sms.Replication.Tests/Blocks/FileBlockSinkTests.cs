using Sms.Blocks;

namespace Sms.Replication.Tests.Blocks;

public sealed class FileBlockSinkTests : IDisposable
{
    private const int Length = 1 << 20;
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static async Task<byte[]> ReadAllAsync(FileBlockSink sink)
    {
        var buffer = new byte[sink.Length];
        var read = await sink.ReadAsync(0, buffer);
        Assert.Equal(sink.Length, read);
        return buffer;
    }

    [Fact]
    public async Task Create_Length_MakesZeroFilledSparseFileOfThatLength()
    {
        // Given
        var path = _directory.File("volume.img");

        // When
        await using var sink = FileBlockSink.Create(path, Length);

        // Then
        Assert.Equal(Length, sink.Length);
        Assert.Equal(Length, new FileInfo(path).Length);
        Assert.True(BlockHash.IsZero(await ReadAllAsync(sink)));
    }

    [Fact]
    public async Task Create_ExistingFile_ReplacesIt()
    {
        // Given
        var path = _directory.File("volume.img");
        await File.WriteAllBytesAsync(path, SparseFile.Pattern(2 * Length, 5));

        // When
        await using var sink = FileBlockSink.Create(path, Length);

        // Then
        Assert.Equal(Length, new FileInfo(path).Length);
        Assert.True(BlockHash.IsZero(await ReadAllAsync(sink)));
    }

    [Fact]
    public async Task WriteAsync_WithinBounds_ReadsBack()
    {
        // Given
        await using var sink = FileBlockSink.Create(_directory.File("volume.img"), Length);
        var data = SparseFile.Pattern(4096, 6);

        // When
        await sink.WriteAsync(Length - 4096, data);
        sink.Write(0, data);

        // Then
        var content = await ReadAllAsync(sink);
        Assert.Equal(data, content.AsSpan(Length - 4096).ToArray());
        Assert.Equal(data, content.AsSpan(0, 4096).ToArray());
        Assert.True(BlockHash.IsZero(content.AsSpan(4096, Length - 8192)));
    }

    [Theory]
    [InlineData(Length - 10, 20)]
    [InlineData(Length, 1)]
    [InlineData(long.MaxValue - 5, 10)]
    [InlineData(-1, 10)]
    public async Task WriteAsync_BeyondEnd_ThrowsWriteBeyondEndAndWritesNothing(long offset, int count)
    {
        // Given
        var path = _directory.File("volume.img");
        await using var sink = FileBlockSink.Create(path, Length);
        var data = SparseFile.Pattern(count, 7);

        // When
        var ex = await Assert.ThrowsAsync<ReplicationProtocolException>(async () => await sink.WriteAsync(offset, data));

        // Then
        Assert.Equal(SmsErrorCode.WriteBeyondEnd, ex.ErrorCode);
        Assert.Equal(Length, new FileInfo(path).Length);
        Assert.True(BlockHash.IsZero(await ReadAllAsync(sink)));
    }

    [Fact]
    public async Task ZeroAsync_BeyondEnd_ThrowsWriteBeyondEnd()
    {
        // Given
        await using var sink = FileBlockSink.Create(_directory.File("volume.img"), Length);

        // When
        var ex = await Assert.ThrowsAsync<ReplicationProtocolException>(async () => await sink.ZeroAsync(new BlockRange(Length - 4096, 8192)));

        // Then
        Assert.Equal(SmsErrorCode.WriteBeyondEnd, ex.ErrorCode);
    }

    [Theory]
    [InlineData(4096, 8192)]
    [InlineData(100, 5000)]
    [InlineData(0, Length)]
    public async Task ZeroAsync_WrittenRange_ReadsBackZerosOnlyThere(long offset, long length)
    {
        // Given
        await using var sink = FileBlockSink.Create(_directory.File("volume.img"), Length);
        var data = SparseFile.Pattern(Length, 8);
        await sink.WriteAsync(0, data);
        var range = new BlockRange(offset, length);

        // When
        await sink.ZeroAsync(range);

        // Then
        var content = await ReadAllAsync(sink);
        Assert.True(BlockHash.IsZero(content.AsSpan((int)range.Offset, (int)range.Length)));
        Assert.Equal(data.AsSpan(0, (int)range.Offset).ToArray(), content.AsSpan(0, (int)range.Offset).ToArray());
        Assert.Equal(data.AsSpan((int)range.End).ToArray(), content.AsSpan((int)range.End).ToArray());
    }

    [Fact]
    public async Task ZeroAsync_EmptyRangeAtEnd_DoesNothing()
    {
        // Given
        await using var sink = FileBlockSink.Create(_directory.File("volume.img"), Length);

        // When
        await sink.ZeroAsync(new BlockRange(Length, 0));

        // Then
        Assert.Equal(Length, sink.Length);
    }

    [Fact]
    public async Task FlushAsync_AfterWrites_DataSurvivesReopen()
    {
        // Given
        var path = _directory.File("volume.img");
        var data = SparseFile.Pattern(8192, 10);
        await using (var sink = FileBlockSink.Create(path, Length))
        {
            await sink.WriteAsync(65536, data);

            // When
            await sink.FlushAsync();
        }

        // Then
        await using var reopened = FileBlockSink.Open(path);
        var buffer = new byte[data.Length];
        Assert.Equal(Length, reopened.Length);
        Assert.Equal(data.Length, await reopened.ReadAsync(65536, buffer));
        Assert.Equal(data, buffer);
    }

    [Fact]
    public void Open_MissingPath_ThrowsTargetWriteFailed()
    {
        // Given
        var path = _directory.File("missing.img");

        // When
        var ex = Assert.Throws<SmsException>(() => FileBlockSink.Open(path));

        // Then
        Assert.Equal(SmsErrorCode.TargetWriteFailed, ex.ErrorCode);
    }
}
