using Sms.Blocks;

namespace Sms.Discovery.Partitions;

/// <summary>Reads a DOS partition table: the four primary entries, then the EBR chain of every extended one.</summary>
internal static class MbrTableReader
{
    /// <summary>The number Linux gives the first logical partition.</summary>
    public const int FirstLogicalNumber = 5;

    /// <summary>Reads the table whose sector 0 is <paramref name="sector0"/>.</summary>
    /// <param name="disk">The disk, for the EBRs.</param>
    /// <param name="sector0">At least the first 512 bytes of the disk.</param>
    /// <param name="builder">A fresh builder (it may hold warnings already).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The table.</returns>
    public static async ValueTask<PartitionTable> ReadAsync(IBlockSource disk, ReadOnlyMemory<byte> sector0, PartitionTableBuilder builder, CancellationToken cancellationToken)
    {
        builder.AddMetadata(0, 1);
        var entries = MbrParser.ReadEntries(sector0.Span);
        var diskId = MbrParser.FormatDiskSignature(MbrParser.ReadDiskSignature(sector0.Span));
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            if (entry.IsUsed && builder.TryFit(i + 1, entry.FirstLba, entry.SectorCount, out var start, out var length))
            {
                builder.Add(new PartitionDescription
                {
                    Number = i + 1,
                    Start = start,
                    Length = length,
                    Type = entry.TypeText,
                    Bootable = entry.IsBootable,
                    IsExtendedContainer = entry.IsExtended,
                });
            }
        }

        var number = FirstLogicalNumber;
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            if (entry.IsUsed && entry.IsExtended && entry.FirstLba < builder.DiskSectors)
            {
                number = await EbrChainReader.ReadAsync(disk, builder, i + 1, entry, number, cancellationToken).ConfigureAwait(false);
            }
        }

        return builder.Build(PartitionTableKind.Mbr, diskId);
    }
}
