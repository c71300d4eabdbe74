using Sms.Blocks;

namespace Sms.Discovery.Partitions;

/// <summary>
/// Reads a GPT: the primary header at LBA 1 and its entry array, or, when either is corrupt, the backup header (where
/// the primary says, or at the last LBA) and its array.
/// </summary>
internal static class GptTableReader
{
    /// <summary>The warning when the primary header is corrupt and the backup was read instead.</summary>
    public const string PrimaryHeaderCorruptWarning = "primary GPT header is corrupt; the backup was used";

    /// <summary>The warning when the primary header is valid but its entry array is corrupt.</summary>
    public const string PrimaryEntriesCorruptWarning = "primary GPT partition entry array is corrupt; the backup was used";

    /// <summary>Reads the GPT with LBAs of <paramref name="lbaSize"/> bytes.</summary>
    /// <param name="disk">The disk.</param>
    /// <param name="lbaSize">The logical sector size.</param>
    /// <param name="warnings">Warnings so far; problems found are added (also when no GPT is found).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The table, or <see langword="null"/> when neither copy is valid.</returns>
    public static async ValueTask<PartitionTable?> TryReadAsync(IBlockSource disk, int lbaSize, List<string> warnings, CancellationToken cancellationToken)
    {
        var diskSectors = disk.Length / lbaSize;
        if (diskSectors < 3)
        {
            warnings.Add($"the disk is too small for a GPT with {lbaSize}-byte sectors");
            return null;
        }

        var primary = await GptCopy.ReadAsync(disk, 1, lbaSize, cancellationToken).ConfigureAwait(false);
        if (primary.IsValid)
        {
            var builder = new PartitionTableBuilder(disk.Length, lbaSize, warnings);
            AddCopyMetadata(builder, primary.Header, lbaSize);
            await CheckBackupAsync(disk, primary.Header, builder, cancellationToken).ConfigureAwait(false);
            return Build(builder, primary);
        }

        warnings.Add($"primary GPT header at LBA 1 is not usable: {GptCopy.Describe(primary.Problem)}");
        foreach (var lba in BackupCandidates(primary, diskSectors))
        {
            var backup = await GptCopy.ReadAsync(disk, lba, lbaSize, cancellationToken).ConfigureAwait(false);
            if (!backup.IsValid)
            {
                warnings.Add($"backup GPT header at LBA {lba} is not usable: {GptCopy.Describe(backup.Problem)}");
                continue;
            }

            warnings.Add(primary.HasValidHeader ? PrimaryEntriesCorruptWarning : PrimaryHeaderCorruptWarning);
            var builder = new PartitionTableBuilder(disk.Length, lbaSize, warnings);
            AddCopyMetadata(builder, backup.Header, lbaSize);

            // Where the primary copy belongs, so that a replica keeps room for it to be repaired.
            builder.AddMetadata(1, 1);
            if (primary.HasValidHeader)
            {
                builder.AddMetadata(primary.Header.EntriesLba, primary.Header.EntriesSectors(lbaSize));
            }
            else
            {
                builder.AddMetadata(2, backup.Header.EntriesSectors(lbaSize));
            }

            return Build(builder, backup);
        }

        return null;
    }

    private static IEnumerable<long> BackupCandidates(GptCopy primary, long diskSectors)
    {
        var last = diskSectors - 1;
        if (primary.HasValidHeader && primary.Header.AlternateLba > 1 && primary.Header.AlternateLba < last)
        {
            yield return primary.Header.AlternateLba;
        }

        yield return last;
    }

    private static async ValueTask CheckBackupAsync(IBlockSource disk, GptHeader primary, PartitionTableBuilder builder, CancellationToken cancellationToken)
    {
        var lba = primary.AlternateLba;
        var last = builder.DiskSectors - 1;
        if (lba <= 1 || lba > last)
        {
            builder.Warn($"the primary GPT header places the backup at LBA {lba}, outside the disk (last LBA {last}); the backup was not checked");
            return;
        }

        if (lba != last)
        {
            builder.Warn($"the backup GPT header is at LBA {lba}, not at the end of the disk (LBA {last}); the disk may have grown since it was partitioned");
        }

        var backup = await GptCopy.ReadAsync(disk, lba, builder.LbaSize, cancellationToken).ConfigureAwait(false);
        if (backup.IsValid)
        {
            AddCopyMetadata(builder, backup.Header, builder.LbaSize);
            return;
        }

        builder.Warn($"backup GPT header at LBA {lba} is not usable: {GptCopy.Describe(backup.Problem)}; the primary was used");
        builder.AddMetadata(lba, 1);
        var sectors = primary.EntriesSectors(builder.LbaSize);
        builder.AddMetadata(backup.HasValidHeader ? backup.Header.EntriesLba : lba - sectors, sectors);
    }

    private static void AddCopyMetadata(PartitionTableBuilder builder, GptHeader header, int lbaSize)
    {
        builder.AddMetadata(0, 1);
        builder.AddMetadata(header.MyLba, 1);
        builder.AddMetadata(header.EntriesLba, header.EntriesSectors(lbaSize));
    }

    private static PartitionTable Build(PartitionTableBuilder builder, GptCopy copy)
    {
        var header = copy.Header;
        foreach (var entry in GptParser.ReadUsedEntries(copy.Entries, header.EntrySize, header.EntryCount))
        {
            var number = entry.Index + 1;
            if (entry.FirstLba > entry.LastLba)
            {
                builder.Warn($"GPT partition {number} ends (LBA {entry.LastLba}) before it starts (LBA {entry.FirstLba}); it was left out");
                continue;
            }

            if (entry.FirstLba < (ulong)header.FirstUsableLba || entry.LastLba > (ulong)header.LastUsableLba)
            {
                builder.Warn($"GPT partition {number} (LBA {entry.FirstLba}-{entry.LastLba}) lies outside the usable LBAs ({header.FirstUsableLba}-{header.LastUsableLba})");
            }

            var span = entry.LastLba - entry.FirstLba;
            var sectors = span == ulong.MaxValue ? span : span + 1;
            if (builder.TryFit(number, entry.FirstLba, sectors, out var start, out var length))
            {
                builder.Add(new PartitionDescription
                {
                    Number = number,
                    Start = start,
                    Length = length,
                    Type = entry.TypeGuid.ToString("D"),
                    UniqueId = entry.UniqueGuid.ToString("D"),
                    Name = entry.Name.Length == 0 ? null : entry.Name,
                });
            }
        }

        WarnAboutOverlaps(builder);
        return builder.Build(PartitionTableKind.Gpt, header.DiskGuid.ToString("D"));
    }

    private static void WarnAboutOverlaps(PartitionTableBuilder builder)
    {
        var byStart = builder.Partitions.ToArray();
        Array.Sort(byStart, static (a, b) => a.Start.CompareTo(b.Start));
        PartitionDescription? furthest = null;
        foreach (var partition in byStart)
        {
            if (furthest is not null && partition.Start < furthest.Start + furthest.Length)
            {
                builder.Warn($"GPT partitions {furthest.Number} and {partition.Number} overlap");
            }

            if (furthest is null || partition.Start + partition.Length > furthest.Start + furthest.Length)
            {
                furthest = partition;
            }
        }
    }
}
