namespace Sms.Blocks;

/// <summary>
/// Something to replicate block by block: an image file, a block device, or a test double. Reads at an offset and
/// says which ranges may hold data; everything outside those ranges reads as zeros and is never read.
/// </summary>
public interface IBlockSource : IAsyncDisposable
{
    /// <summary>The size of the source in bytes.</summary>
    /// <value>The disk or file size.</value>
    long Length { get; }

    /// <summary>The logical sector size; reads are aligned to it.</summary>
    /// <value>512 or 4096 for disks, 512 for files.</value>
    int SectorSize { get; }

    /// <summary>A human-readable name for messages (a path, say).</summary>
    /// <value>The name.</value>
    string Name { get; }

    /// <summary>
    /// The ranges that may hold data, ascending and non-overlapping. Holes of a sparse file, and blocks a file system
    /// has not allocated (when an <see cref="IAllocationMap"/> is plugged in), are left out.
    /// </summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The ranges.</returns>
    ValueTask<IReadOnlyList<BlockRange>> GetDataRangesAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads up to <c>buffer.Length</c> bytes at <paramref name="offset"/>.</summary>
    /// <param name="offset">Where to read; within <see cref="Length"/>.</param>
    /// <param name="buffer">Where to put the bytes.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The number of bytes read; less than asked only at the end of the source.</returns>
    /// <exception cref="SmsException">The read failed (<see cref="SmsErrorCode.SourceReadFailed"/>).</exception>
    ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken = default);
}
