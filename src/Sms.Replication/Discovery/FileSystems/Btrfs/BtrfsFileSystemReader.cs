using Sms.Blocks;

namespace Sms.Discovery.FileSystems.Btrfs;

/// <summary>
/// Recognises btrfs by its primary superblock (label, fsid, sector size, size). Its allocation map (the chunk and
/// extent trees) is not read: <see cref="GetAllocatedRangesAsync"/> returns <see langword="null"/> and the whole
/// partition is replicated.
/// </summary>
public sealed class BtrfsFileSystemReader : IFileSystemReader
{
    /// <summary>Why the map is not used.</summary>
    public const string AllocationNote = "btrfs allocation maps are not read: the whole partition is replicated";

    /// <inheritdoc />
    public async ValueTask<FileSystemDescription?> ProbeAsync(IBlockSource disk, long offset, long length, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(disk);
        if (length < BtrfsSuperblock.Offset + BtrfsSuperblock.Size)
        {
            return null;
        }

        var block = new byte[BtrfsSuperblock.Size];
        if (!await DiskBytes.TryReadExactAsync(disk, offset + BtrfsSuperblock.Offset, block, cancellationToken).ConfigureAwait(false)
            || !BtrfsSuperblock.TryParse(block, out var superblock))
        {
            return null;
        }

        return new FileSystemDescription
        {
            Kind = FileSystemKind.Btrfs,
            Label = superblock.Label,
            Uuid = superblock.Fsid,
            BlockSize = superblock.SectorSize,
            TotalBytes = superblock.TotalBytes,
            Note = AllocationNote,
        };
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<BlockRange>?> GetAllocatedRangesAsync(IBlockSource disk, long offset, long length, FileSystemDescription description, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(disk);
        ArgumentNullException.ThrowIfNull(description);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IReadOnlyList<BlockRange>?>(null);
    }
}
