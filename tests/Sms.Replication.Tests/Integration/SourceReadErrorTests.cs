using Sms.Blocks;
using Sms.Engine;

namespace Sms.Replication.Tests.Integration;

public sealed class SourceReadErrorTests
{
    private static readonly ReplicationSettings Small = new() { Workers = 2, MaxBuffers = 4, MaxUnacknowledgedBlocks = 4 };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReplicateAsync_SourceReadFailsMidPass_FailsWithSourceReadFailedInsteadOfHanging(bool plainIOException)
    {
        // Given: the 10th read fails (a source of the SDK throws SmsException; another may throw a plain IOException).
        await using var h = await ReplicationHarness.StartAsync();
        Images.CreateSparse(h.SourcePath, 24L << 20, seed: 15, dataFraction: 1.0);
        Exception error = plainIOException
            ? new IOException("Input/output error")
            : new SmsException(SmsErrorCode.SourceReadFailed, "Reading the disk failed: Input/output error");
        var reads = 0;

        // When
        await using var source = new FailingSource(FileBlockSource.Open(h.SourcePath), () => Interlocked.Increment(ref reads) >= 10 ? error : null);
        var failed = await Assert.ThrowsAnyAsync<SmsException>(
            () => new BlockReplicator().ReplicateAsync(source, h.Pairing, "disk0", h.State, Small).WaitAsync(TimeSpan.FromSeconds(30)));

        // Then
        Assert.Equal(SmsErrorCode.SourceReadFailed, failed.ErrorCode);
        Assert.Contains("Input/output error", failed.Message, StringComparison.Ordinal);
    }

    private sealed class FailingSource(IBlockSource inner, Func<Exception?> failure) : IBlockSource
    {
        public long Length => inner.Length;

        public int SectorSize => inner.SectorSize;

        public string Name => inner.Name;

        public ValueTask<IReadOnlyList<BlockRange>> GetDataRangesAsync(CancellationToken cancellationToken = default) => inner.GetDataRangesAsync(cancellationToken);

        public ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
            => failure() is { } error ? ValueTask.FromException<int>(error) : inner.ReadAsync(offset, buffer, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
