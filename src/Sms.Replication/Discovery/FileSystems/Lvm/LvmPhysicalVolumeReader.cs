using Sms.Blocks;

namespace Sms.Discovery.FileSystems.Lvm;

/// <summary>
/// Recognises an LVM2 physical volume by its label ("LABELONE", type "LVM2 001") and reads the PV UUID as pvs prints
/// it. Logical volumes are not mapped: <see cref="GetAllocatedRangesAsync"/> returns <see langword="null"/> and the
/// whole partition is replicated.
/// </summary>
public sealed class LvmPhysicalVolumeReader : IFileSystemReader
{
    /// <summary>Why the map is not used.</summary>
    public const string AllocationNote = "LVM2 physical volume: logical volumes are not mapped; the whole partition is replicated";

    /// <inheritdoc />
    public async ValueTask<FileSystemDescription?> ProbeAsync(IBlockSource disk, long offset, long length, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(disk);
        var start = new byte[LvmLabel.SectorSize * LvmLabel.ScanSectors];
        await DiskBytes.TryReadExactAsync(disk, offset, start, cancellationToken).ConfigureAwait(false);
        var available = (int)Math.Clamp(length, 0, start.Length);
        if (!LvmLabel.TryFind(start.AsSpan(0, available), out var label))
        {
            return null;
        }

        return new FileSystemDescription
        {
            Kind = FileSystemKind.LvmPhysicalVolume,
            Uuid = label.DashedUuid,
            TotalBytes = label.DeviceSize > 0 ? label.DeviceSize : length,
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
