using Sms.Blocks;

namespace Sms.Discovery.Partitions;

/// <summary>
/// Reads the partition table of a disk from the disk itself: an MBR with its extended and logical partitions, a GPT
/// (falling back to its backup copy), or none. Malformed tables never throw: what was worked around is reported in
/// <see cref="PartitionTable.Warnings"/>.
/// </summary>
public static class PartitionTableReader
{
    private const int SmallSector = 512;
    private const int LargeSector = 4096;

    /// <summary>Reads the partition table.</summary>
    /// <param name="disk">The disk; LBAs count in its <see cref="IBlockSource.SectorSize"/> when that is 512 or 4096.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>
    /// The table: <see cref="PartitionTableKind.None"/> with no partitions when sector 0 is not a partition table (no
    /// 0x55AA signature, a file system's boot sector, or entries that make no sense).
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="disk"/> is <see langword="null"/>.</exception>
    /// <exception cref="SmsException">A read failed (<see cref="SmsErrorCode.SourceReadFailed"/>).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async ValueTask<PartitionTable> ReadAsync(IBlockSource disk, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(disk);
        cancellationToken.ThrowIfCancellationRequested();
        var warnings = new List<string>();
        var lbaSize = disk.SectorSize is SmallSector or LargeSector ? disk.SectorSize : SmallSector;
        if (lbaSize != disk.SectorSize)
        {
            warnings.Add($"the disk reports {disk.SectorSize}-byte sectors; {SmallSector}-byte sectors were assumed");
        }

        var sector0 = await DiskBytes.ReadAsync(disk, 0, lbaSize, cancellationToken).ConfigureAwait(false);
        switch (MbrParser.Classify(sector0, disk.Length / lbaSize, out var problem))
        {
            case MbrSectorKind.Mbr:
                return await MbrTableReader.ReadAsync(disk, sector0, new PartitionTableBuilder(disk.Length, lbaSize, warnings), cancellationToken).ConfigureAwait(false);
            case MbrSectorKind.ProtectiveMbr:
                return await ReadGptAsync(disk, sector0, lbaSize, warnings, cancellationToken).ConfigureAwait(false);
            case MbrSectorKind.Implausible:
                warnings.Add($"sector 0 ends in 0x55AA but is not a partition table: {problem}");
                break;
        }

        return new PartitionTable { Kind = PartitionTableKind.None, Warnings = warnings };
    }

    private static async ValueTask<PartitionTable> ReadGptAsync(IBlockSource disk, byte[] sector0, int lbaSize, List<string> warnings, CancellationToken cancellationToken)
    {
        var gptWarnings = new List<string>(warnings);
        var table = await GptTableReader.TryReadAsync(disk, lbaSize, gptWarnings, cancellationToken).ConfigureAwait(false);
        if (table is not null)
        {
            return table;
        }

        // An image of a 4Kn disk read as a file (which reports 512-byte sectors), or the other way round.
        var otherSize = lbaSize == SmallSector ? LargeSector : SmallSector;
        var otherWarnings = new List<string>(warnings)
        {
            $"the GPT was found with {otherSize}-byte sectors although the disk reports {lbaSize}-byte sectors; {otherSize} was used",
        };
        table = await GptTableReader.TryReadAsync(disk, otherSize, otherWarnings, cancellationToken).ConfigureAwait(false);
        if (table is not null)
        {
            return table;
        }

        gptWarnings.Add("no valid GPT was found (neither the primary nor the backup header); the protective MBR was read as an MBR");
        return await MbrTableReader.ReadAsync(disk, sector0, new PartitionTableBuilder(disk.Length, lbaSize, gptWarnings), cancellationToken).ConfigureAwait(false);
    }
}
