using Sms.Blocks;

namespace Sms.Discovery.FileSystems;

/// <summary>
/// Understands one family of file systems: recognises its superblock, describes it, and (where supported) lists
/// the byte ranges it has allocated, relative to the start of the file system.
/// </summary>
public interface IFileSystemReader
{
    /// <summary>Reads the superblock of the file system that may start at <paramref name="offset"/>.</summary>
    /// <param name="disk">The disk.</param>
    /// <param name="offset">Where the partition (or the whole disk) starts.</param>
    /// <param name="length">The partition's length.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The description, or <see langword="null"/> when it is not this reader's kind.</returns>
    ValueTask<FileSystemDescription?> ProbeAsync(IBlockSource disk, long offset, long length, CancellationToken cancellationToken = default);

    /// <summary>
    /// The allocated ranges, relative to <paramref name="offset"/>, ascending and coalesced; they always include the
    /// file system's own metadata (superblocks, bitmaps, journals, tables).
    /// </summary>
    /// <param name="disk">The disk.</param>
    /// <param name="offset">Where the file system starts.</param>
    /// <param name="length">The partition's length.</param>
    /// <param name="description">What <see cref="ProbeAsync"/> returned.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The ranges, or <see langword="null"/> when the map is not understood (the caller then keeps the whole partition).</returns>
    ValueTask<IReadOnlyList<BlockRange>?> GetAllocatedRangesAsync(IBlockSource disk, long offset, long length, FileSystemDescription description, CancellationToken cancellationToken = default);
}
