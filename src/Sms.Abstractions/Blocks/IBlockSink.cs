namespace Sms.Blocks;

/// <summary>Where replicated blocks land: a volume file or a device on the target.</summary>
public interface IBlockSink : IAsyncDisposable
{
    /// <summary>The size of the sink in bytes; writes beyond it are refused.</summary>
    /// <value>The volume size.</value>
    long Length { get; }

    /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/>.</summary>
    /// <param name="offset">Where to write.</param>
    /// <param name="data">The bytes.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the bytes are written (not necessarily durable).</returns>
    /// <exception cref="SmsException">The write would end beyond <see cref="Length"/> or failed.</exception>
    ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>Makes <paramref name="range"/> read as zeros, deallocating it where the storage allows.</summary>
    /// <param name="range">The bytes to zero.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the range reads as zeros.</returns>
    /// <exception cref="SmsException">The range ends beyond <see cref="Length"/> or the operation failed.</exception>
    ValueTask ZeroAsync(BlockRange range, CancellationToken cancellationToken = default);

    /// <summary>Reads back <c>buffer.Length</c> bytes at <paramref name="offset"/> (used only by verification).</summary>
    /// <param name="offset">Where to read.</param>
    /// <param name="buffer">Where to put the bytes.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The number of bytes read.</returns>
    ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken = default);

    /// <summary>Makes every write so far durable.</summary>
    /// <param name="cancellationToken">Cancels the flush.</param>
    /// <returns>A task that completes when the data is on stable storage.</returns>
    ValueTask FlushAsync(CancellationToken cancellationToken = default);
}
