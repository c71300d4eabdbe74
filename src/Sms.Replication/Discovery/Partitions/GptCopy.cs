using Sms.Blocks;

namespace Sms.Discovery.Partitions;

/// <summary>One copy of the GPT as read from the disk: a header and its partition entry array.</summary>
/// <param name="Lba">Where the header was read from.</param>
/// <param name="Header">The header; meaningful when <paramref name="Problem"/> is <see cref="GptProblem.None"/> or <see cref="GptProblem.EntriesCrcMismatch"/>.</param>
/// <param name="Entries">The entry array; empty when the header is not valid.</param>
/// <param name="Problem">Why the copy cannot be used, or <see cref="GptProblem.None"/>.</param>
internal sealed record GptCopy(long Lba, GptHeader Header, byte[] Entries, GptProblem Problem)
{
    /// <summary>Gets whether the copy is valid.</summary>
    public bool IsValid => Problem == GptProblem.None;

    /// <summary>Gets whether the header itself is valid (the entry array may not be).</summary>
    public bool HasValidHeader => Problem is GptProblem.None or GptProblem.EntriesCrcMismatch;

    /// <summary>Reads the copy whose header is at <paramref name="lba"/>.</summary>
    /// <param name="disk">The disk.</param>
    /// <param name="lba">The header's LBA.</param>
    /// <param name="lbaSize">The logical sector size.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The copy, valid or not.</returns>
    public static async ValueTask<GptCopy> ReadAsync(IBlockSource disk, long lba, int lbaSize, CancellationToken cancellationToken)
    {
        var diskSectors = disk.Length / lbaSize;
        var sector = await DiskBytes.ReadAsync(disk, lba * lbaSize, lbaSize, cancellationToken).ConfigureAwait(false);
        var problem = GptHeaderParser.TryParse(sector, lba, diskSectors, out var header);
        if (problem != GptProblem.None)
        {
            return new GptCopy(lba, header, [], problem);
        }

        var entries = await DiskBytes.ReadAsync(disk, header.EntriesLba * lbaSize, header.EntriesLength, cancellationToken).ConfigureAwait(false);
        return new GptCopy(lba, header, entries, GptParser.EntriesCrcMatches(entries, header) ? GptProblem.None : GptProblem.EntriesCrcMismatch);
    }

    /// <summary>Describes a problem for a warning.</summary>
    /// <param name="problem">The problem.</param>
    /// <returns>A short phrase.</returns>
    public static string Describe(GptProblem problem) => problem switch
    {
        GptProblem.None => "valid",
        GptProblem.NoSignature => "no \"EFI PART\" signature",
        GptProblem.BadHeaderSize => "the header size is invalid",
        GptProblem.HeaderCrcMismatch => "the header CRC32 does not match",
        GptProblem.WrongLba => "the header does not say it is at this LBA",
        GptProblem.BadUsableRange => "the usable LBA range is empty or beyond the end of the disk",
        GptProblem.BadEntryGeometry => "the partition entry size or count is invalid",
        GptProblem.EntriesOutOfPlace => "the partition entry array lies outside the disk or over the header",
        GptProblem.EntriesCrcMismatch => "the partition entry array CRC32 does not match",
        _ => problem.ToString(),
    };
}
