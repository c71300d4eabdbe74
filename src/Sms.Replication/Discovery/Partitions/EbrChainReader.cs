using Sms.Blocks;

namespace Sms.Discovery.Partitions;

/// <summary>
/// Follows the chain of EBRs inside an MBR extended partition, as Linux does: each EBR holds a logical partition
/// (its start relative to that EBR) and a link to the next EBR (relative to the start of the extended partition).
/// </summary>
internal static class EbrChainReader
{
    /// <summary>The most EBRs followed in one chain; Linux allows 256 partitions per disk.</summary>
    public const int MaxEbrs = 256;

    /// <summary>Reads the logical partitions of one extended partition.</summary>
    /// <param name="disk">The disk.</param>
    /// <param name="builder">Where partitions, EBR sectors and warnings go.</param>
    /// <param name="extendedNumber">The extended partition's number, for messages.</param>
    /// <param name="extended">The extended partition's entry in the MBR.</param>
    /// <param name="firstNumber">The number of the first logical partition found (5, or more after another chain).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The number the next logical partition would get.</returns>
    public static async ValueTask<int> ReadAsync(
        IBlockSource disk, PartitionTableBuilder builder, int extendedNumber, MbrEntry extended, int firstNumber, CancellationToken cancellationToken)
    {
        var extendedStart = (ulong)extended.FirstLba;
        var extendedEnd = extended.EndLba;
        var visited = new HashSet<ulong>();
        var sector = new byte[builder.LbaSize];
        var number = firstNumber;
        var ebrLba = extendedStart;
        while (true)
        {
            if (!visited.Add(ebrLba))
            {
                builder.Warn($"the EBR chain of extended partition {extendedNumber} loops back to sector {ebrLba}; it was followed no further");
                break;
            }

            if (visited.Count > MaxEbrs)
            {
                builder.Warn($"the EBR chain of extended partition {extendedNumber} is longer than {MaxEbrs} EBRs; the rest was ignored");
                break;
            }

            if (ebrLba >= (ulong)builder.DiskSectors)
            {
                builder.Warn($"the EBR chain of extended partition {extendedNumber} points to sector {ebrLba}, beyond the end of the disk; it was followed no further");
                break;
            }

            await DiskBytes.TryReadExactAsync(disk, (long)ebrLba * builder.LbaSize, sector, cancellationToken).ConfigureAwait(false);
            if (!MbrParser.HasBootSignature(sector))
            {
                // An extended partition with no logical ones may have no EBR at all; a link to nothing is an error.
                if (ebrLba != extendedStart)
                {
                    builder.Warn($"sector {ebrLba}, linked from the EBR chain of extended partition {extendedNumber}, is not an EBR (no 0x55AA signature); the chain ends there");
                }

                break;
            }

            builder.AddMetadata((long)ebrLba, 1);
            var entries = MbrParser.ReadEntries(sector);
            number = AddLogicalPartitions(builder, entries, ebrLba, extendedStart, extendedEnd, number);
            var link = Array.FindIndex(entries, static e => e.IsUsed && e.IsExtended);
            if (link < 0)
            {
                break;
            }

            var next = extendedStart + entries[link].FirstLba;
            if (next >= extendedEnd)
            {
                builder.Warn($"the EBR at sector {ebrLba} links to sector {next}, outside extended partition {extendedNumber}; the chain ends there");
                break;
            }

            ebrLba = next;
        }

        return number;
    }

    // Usually entry 1 is the logical partition and entry 2 the link; DR-DOS puts the link first and OS/2 uses all
    // four, so every non-extended entry counts. Entries 3 and 4 sometimes hold garbage: those must fit the container.
    private static int AddLogicalPartitions(PartitionTableBuilder builder, MbrEntry[] entries, ulong ebrLba, ulong extendedStart, ulong extendedEnd, int number)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            if (!entry.IsUsed || entry.IsExtended)
            {
                continue;
            }

            var firstLba = ebrLba + entry.FirstLba;
            var inside = firstLba > ebrLba && firstLba + entry.SectorCount <= extendedEnd && firstLba >= extendedStart;
            if (!inside)
            {
                if (i >= 2)
                {
                    continue;
                }

                builder.Warn($"logical partition {number} (sector {firstLba}, {entry.SectorCount} sectors) does not lie inside its extended partition, after its EBR");
            }

            if (builder.TryFit(number, firstLba, entry.SectorCount, out var start, out var length))
            {
                builder.Add(new PartitionDescription
                {
                    Number = number,
                    Start = start,
                    Length = length,
                    Type = entry.TypeText,
                    Bootable = entry.IsBootable,
                });
            }

            number++;
        }

        return number;
    }
}
