using Microsoft.Win32.SafeHandles;

namespace Sms.Blocks;

/// <summary>
/// A block source over an image file or a block device (<c>/dev/sdX</c>, a loop device), read with
/// <see cref="RandomAccess"/>. Holes are found with SEEK_DATA/SEEK_HOLE; an <see cref="IAllocationMap"/> narrows
/// the data ranges to the blocks a file system has allocated.
/// </summary>
public sealed class FileBlockSource : IBlockSource
{
    private readonly SafeFileHandle _handle;
    private readonly IAllocationMap? _allocationMap;

    private FileBlockSource(string path, SafeFileHandle handle, long length, int sectorSize, bool isDevice, IAllocationMap? allocationMap)
    {
        Name = path;
        _handle = handle;
        Length = length;
        SectorSize = sectorSize;
        IsBlockDevice = isDevice;
        _allocationMap = allocationMap;
    }

    /// <inheritdoc />
    public long Length { get; }

    /// <inheritdoc />
    public int SectorSize { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Whether the source is a block device.</summary>
    /// <value><see langword="true"/> for devices.</value>
    public bool IsBlockDevice { get; }

    /// <summary>Opens a file or device for reading.</summary>
    /// <param name="path">The image or device path.</param>
    /// <param name="allocationMap">The file system's allocated ranges, if known; otherwise holes and zero blocks are skipped.</param>
    /// <returns>The source; dispose it.</returns>
    /// <exception cref="SmsException">The path cannot be opened (<see cref="SmsErrorCode.SourceReadFailed"/>).</exception>
    public static FileBlockSource Open(string path, IAllocationMap? allocationMap = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SmsException(SmsErrorCode.SourceReadFailed, $"Cannot open source '{path}': {ex.Message}", ex);
        }

        var isDevice = OperatingSystem.IsLinux() && IsBlockDevicePath(path);
        var length = LinuxNative.GetSize(handle);
        var sector = isDevice ? LinuxNative.GetSectorSize(handle, 512) : 512;
        return new FileBlockSource(path, handle, length, sector, isDevice, allocationMap);
    }

    /// <summary>Describes the source as a <see cref="SourceDisk"/>.</summary>
    /// <param name="cancellationToken">Cancels the look-up of data ranges.</param>
    /// <returns>The disk model.</returns>
    public async ValueTask<SourceDisk> DescribeAsync(CancellationToken cancellationToken = default)
    {
        var ranges = await GetDataRangesAsync(cancellationToken).ConfigureAwait(false);
        return new SourceDisk(Name, Length, SectorSize) { IsBlockDevice = IsBlockDevice, DataBytes = BlockRanges.TotalLength(ranges) };
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<BlockRange>> GetDataRangesAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<BlockRange> ranges = LinuxNative.GetDataRanges(_handle, Length);
        if (_allocationMap is not null)
        {
            ranges = BlockRanges.Intersect(ranges, BlockRanges.Clip(_allocationMap.AllocatedRanges, Length));
        }

        return ValueTask.FromResult(ranges);
    }

    /// <inheritdoc />
    public async ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var total = 0;
        try
        {
            while (total < buffer.Length && offset + total < Length)
            {
                var read = await RandomAccess.ReadAsync(_handle, buffer[total..], offset + total, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }
        }
        catch (IOException ex)
        {
            throw new SmsException(SmsErrorCode.SourceReadFailed, $"Reading '{Name}' at offset {offset} failed: {ex.Message}", ex);
        }

        return total;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _handle.Dispose();
        return ValueTask.CompletedTask;
    }

    private static bool IsBlockDevicePath(string path)
    {
        var resolved = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
        return resolved.StartsWith("/dev/", StringComparison.Ordinal)
            && Directory.Exists(Path.Combine("/sys/class/block", Path.GetFileName(resolved)));
    }
}
