using Sms.Blocks;

namespace Sms.Discovery.FileSystems.Swap;

/// <summary>
/// Recognises Linux swap by the magic at the end of its first page, and reads the label and UUID as blkid prints
/// them. Swap contents are never valid data across a migration: only the header page is allocated.
/// </summary>
public sealed class SwapFileSystemReader : IFileSystemReader
{
    /// <inheritdoc />
    public async ValueTask<FileSystemDescription?> ProbeAsync(IBlockSource disk, long offset, long length, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(disk);
        var header = await ReadHeaderAsync(disk, offset, length, cancellationToken).ConfigureAwait(false);
        if (header is null)
        {
            return null;
        }

        var declared = (header.LastPage + 1) * header.PageSize;
        return new FileSystemDescription
        {
            Kind = FileSystemKind.Swap,
            Label = header.Label,
            Uuid = header.Uuid,
            BlockSize = header.PageSize,
            TotalBytes = header.LastPage > 0 && declared <= length ? declared : length,
            UsedBytes = header.PageSize,
        };
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<BlockRange>?> GetAllocatedRangesAsync(IBlockSource disk, long offset, long length, FileSystemDescription description, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(disk);
        ArgumentNullException.ThrowIfNull(description);
        var header = await ReadHeaderAsync(disk, offset, length, cancellationToken).ConfigureAwait(false);
        return header is null ? null : [new BlockRange(0, header.PageSize)];
    }

    private static async ValueTask<SwapHeader?> ReadHeaderAsync(IBlockSource disk, long offset, long length, CancellationToken cancellationToken)
    {
        var largest = SwapHeader.PageSizes[^1];
        var count = (int)Math.Clamp(length, 0, largest);
        if (count < SwapHeader.PageSizes[0])
        {
            return null;
        }

        var start = new byte[count];
        await DiskBytes.TryReadExactAsync(disk, offset, start, cancellationToken).ConfigureAwait(false);
        return SwapHeader.TryParse(start, out var header) ? header : null;
    }
}
