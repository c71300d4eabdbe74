using Sms.Blocks;

namespace Sms.Discovery.FileSystems.Ntfs;

/// <summary>The master file table, located through the runs of its own record 0's $DATA attribute.</summary>
internal sealed class NtfsMft
{
    /// <summary>$MFT.</summary>
    public const long MftRecord = 0;

    /// <summary>$Volume.</summary>
    public const long VolumeRecord = 3;

    /// <summary>$Bitmap.</summary>
    public const long BitmapRecord = 6;

    private readonly NtfsBootSector _bootSector;
    private readonly List<NtfsDataRun> _runs;
    private readonly long _mappedBytes;

    private NtfsMft(NtfsBootSector bootSector, List<NtfsDataRun> runs)
    {
        _bootSector = bootSector;
        _runs = runs;
        _mappedBytes = NtfsRunReader.MappedBytes(runs, bootSector);
    }

    /// <summary>Reads record 0 at the boot sector's $MFT cluster and maps the MFT from it.</summary>
    /// <param name="disk">The disk.</param>
    /// <param name="offset">Where the volume starts.</param>
    /// <param name="bootSector">The volume.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The MFT, or <see langword="null"/> when record 0 is not readable.</returns>
    public static async ValueTask<NtfsMft?> OpenAsync(IBlockSource disk, long offset, NtfsBootSector bootSector, CancellationToken cancellationToken)
    {
        var record = new byte[bootSector.MftRecordBytes];
        await DiskBytes.TryReadExactAsync(disk, offset + (bootSector.MftLcn * bootSector.ClusterBytes), record, cancellationToken).ConfigureAwait(false);
        var runs = new List<NtfsDataRun>();
        if (!NtfsRecord.TryApplyFixups(record)
            || !NtfsRecord.TryFindAttribute(record, NtfsRecord.Data, out var start, out var length)
            || !NtfsRecord.TryReadNonResident(record.AsSpan(start, length), out var header, runs)
            || header.LowestVcn != 0
            || !NtfsRunReader.AreSane(runs, bootSector))
        {
            return null;
        }

        return new NtfsMft(bootSector, runs);
    }

    /// <summary>Reads a record and applies its fixups.</summary>
    /// <param name="disk">The disk.</param>
    /// <param name="offset">Where the volume starts.</param>
    /// <param name="number">The record number.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The record, or <see langword="null"/> when it is not mapped or not a valid record.</returns>
    public async ValueTask<byte[]?> ReadRecordAsync(IBlockSource disk, long offset, long number, CancellationToken cancellationToken)
    {
        var size = _bootSector.MftRecordBytes;
        var position = number * size;
        if (position + size > _mappedBytes)
        {
            return null;
        }

        var record = new byte[size];
        if (!await NtfsRunReader.ReadAsync(disk, offset, _bootSector, _runs, position, record, cancellationToken).ConfigureAwait(false)
            || !NtfsRecord.TryApplyFixups(record))
        {
            return null;
        }

        return record;
    }
}
