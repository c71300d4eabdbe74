using System.Globalization;
using System.Text;
using Sms.Blocks;

namespace Sms.Discovery.FileSystems.Ntfs;

/// <summary>
/// Reads NTFS volumes: the boot sector, the serial number (16 hex digits, as blkid prints it), the label from
/// $Volume, and the allocation map from $Bitmap (MFT record 6). Allocated are the clusters whose bit is set, the
/// boot sector, and the backup boot sector that lies past the last cluster. A volume that claims more sectors than
/// its partition holds is described but not mapped (nothing is read past the partition).
/// </summary>
public sealed class NtfsFileSystemReader : IFileSystemReader
{
    /// <summary>Why the map is not used when the boot sector claims more sectors than the partition has.</summary>
    public const string LargerThanPartitionNote = "the NTFS file system is larger than its partition: the whole partition is replicated";

    private const int MaxLabelChars = 128;

    /// <inheritdoc />
    public async ValueTask<FileSystemDescription?> ProbeAsync(IBlockSource disk, long offset, long length, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(disk);
        var bootSector = await ReadBootSectorAsync(disk, offset, cancellationToken).ConfigureAwait(false);
        if (bootSector is null)
        {
            return null;
        }

        var description = new FileSystemDescription
        {
            Kind = FileSystemKind.Ntfs,
            Uuid = bootSector.Serial.ToString("X16", CultureInfo.InvariantCulture),
            BlockSize = bootSector.ClusterBytes,
            TotalBytes = bootSector.TotalBytes,
        };
        if (bootSector.TotalBytes > length)
        {
            return description with { Note = LargerThanPartitionNote };
        }

        var mft = await NtfsMft.OpenAsync(disk, offset, bootSector, cancellationToken).ConfigureAwait(false);
        if (mft is null)
        {
            return description with { Note = "NTFS $MFT record 0 is unreadable: the whole partition is replicated" };
        }

        var label = await ReadLabelAsync(disk, offset, mft, cancellationToken).ConfigureAwait(false);
        var (ranges, note) = await ReadMapAsync(disk, offset, length, bootSector, mft, cancellationToken).ConfigureAwait(false);
        return description with
        {
            Label = label,
            UsedBytes = ranges is null ? null : BlockRanges.TotalLength(ranges),
            Note = note,
        };
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<BlockRange>?> GetAllocatedRangesAsync(IBlockSource disk, long offset, long length, FileSystemDescription description, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(disk);
        ArgumentNullException.ThrowIfNull(description);
        var bootSector = await ReadBootSectorAsync(disk, offset, cancellationToken).ConfigureAwait(false);
        if (bootSector is null || bootSector.TotalBytes > length)
        {
            return null;
        }

        var mft = await NtfsMft.OpenAsync(disk, offset, bootSector, cancellationToken).ConfigureAwait(false);
        if (mft is null)
        {
            return null;
        }

        var (ranges, _) = await ReadMapAsync(disk, offset, length, bootSector, mft, cancellationToken).ConfigureAwait(false);
        return ranges;
    }

    private static async ValueTask<NtfsBootSector?> ReadBootSectorAsync(IBlockSource disk, long offset, CancellationToken cancellationToken)
    {
        var sector = new byte[NtfsBootSector.Size];
        if (!await DiskBytes.TryReadExactAsync(disk, offset, sector, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return NtfsBootSector.TryParse(sector, out var bootSector) ? bootSector : null;
    }

    private static async ValueTask<string?> ReadLabelAsync(IBlockSource disk, long offset, NtfsMft mft, CancellationToken cancellationToken)
    {
        var record = await mft.ReadRecordAsync(disk, offset, NtfsMft.VolumeRecord, cancellationToken).ConfigureAwait(false);
        if (record is null
            || !NtfsRecord.TryFindAttribute(record, NtfsRecord.VolumeName, out var start, out var length)
            || !NtfsRecord.TryGetResidentValue(record.AsSpan(start, length), out var valueStart, out var valueLength))
        {
            return null;
        }

        var chars = Math.Min(valueLength / 2, MaxLabelChars);
        return chars == 0 ? null : Encoding.Unicode.GetString(record, start + valueStart, chars * 2);
    }

    private static async ValueTask<(List<BlockRange>? Ranges, string? Note)> ReadMapAsync(IBlockSource disk, long offset, long length, NtfsBootSector bootSector, NtfsMft mft, CancellationToken cancellationToken)
    {
        var record = await mft.ReadRecordAsync(disk, offset, NtfsMft.BitmapRecord, cancellationToken).ConfigureAwait(false);
        if (record is null || !NtfsRecord.IsInUse(record))
        {
            return (null, "NTFS $Bitmap (MFT record 6) is unreadable: the whole partition is replicated");
        }

        var runs = new List<NtfsDataRun>();
        if (!NtfsRecord.TryFindAttribute(record, NtfsRecord.Data, out var start, out var attributeLength)
            || !NtfsRecord.TryReadNonResident(record.AsSpan(start, attributeLength), out var header, runs)
            || header.LowestVcn != 0
            || !NtfsRunReader.AreSane(runs, bootSector))
        {
            return (null, "NTFS $Bitmap has no readable non-resident $DATA attribute: the whole partition is replicated");
        }

        var readable = Math.Min(header.InitializedSize, (bootSector.ClusterCount + 7) / 8);
        if (NtfsRunReader.MappedBytes(runs, bootSector) < readable)
        {
            var why = NtfsRecord.TryFindAttribute(record, NtfsRecord.AttributeList, out _, out _)
                ? "is split by an attribute list (not supported)"
                : "maps fewer bytes than the volume's clusters need";
            return (null, $"NTFS $Bitmap {why}: the whole partition is replicated");
        }

        var ranges = new List<BlockRange> { new(0, bootSector.BytesPerSector) };
        await NtfsBitmapScanner.ScanAsync(disk, offset, bootSector, runs, readable, ranges, cancellationToken).ConfigureAwait(false);
        AddBackupBootSectors(ranges, bootSector, length);
        return (BlockRanges.Clip(BlockRanges.Coalesce(ranges), length), null);
    }

    /// <summary>
    /// The backup boot sector: at the sector after the declared ones (where mkntfs and Windows put it, the
    /// partition's last), and the partition's last sector when that differs and lies past the last cluster.
    /// </summary>
    private static void AddBackupBootSectors(List<BlockRange> ranges, NtfsBootSector bootSector, long length)
    {
        var sector = bootSector.BytesPerSector;
        if (bootSector.TotalBytes + sector <= length)
        {
            ranges.Add(new BlockRange(bootSector.TotalBytes, sector));
        }

        var last = length - sector;
        if (last >= bootSector.ClusterCount * bootSector.ClusterBytes)
        {
            ranges.Add(new BlockRange(last - (last % sector), sector));
        }
    }
}
