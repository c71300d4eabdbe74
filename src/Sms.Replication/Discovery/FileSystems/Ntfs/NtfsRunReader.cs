using Sms.Blocks;

namespace Sms.Discovery.FileSystems.Ntfs;

/// <summary>Reads bytes of a non-resident attribute through its runs; sparse runs read as zeros.</summary>
internal static class NtfsRunReader
{
    /// <summary>Whether every run lies inside the volume and the runs' byte size cannot overflow.</summary>
    /// <param name="runs">The runs.</param>
    /// <param name="bootSector">The volume.</param>
    /// <returns><see langword="true"/> when the runs are usable.</returns>
    public static bool AreSane(List<NtfsDataRun> runs, NtfsBootSector bootSector)
    {
        var maxClusters = long.MaxValue / 2 / bootSector.ClusterBytes;
        long total = 0;
        foreach (var run in runs)
        {
            total += run.Length;
            if (total > maxClusters || (!run.IsSparse && run.Lcn > bootSector.ClusterCount - run.Length))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The bytes the runs map.</summary>
    /// <param name="runs">Sane runs.</param>
    /// <param name="bootSector">The volume.</param>
    /// <returns>The clusters of all runs, in bytes.</returns>
    public static long MappedBytes(List<NtfsDataRun> runs, NtfsBootSector bootSector)
    {
        long clusters = 0;
        foreach (var run in runs)
        {
            clusters += run.Length;
        }

        return clusters * bootSector.ClusterBytes;
    }

    /// <summary>Reads <c>destination.Length</c> bytes at <paramref name="position"/> of the attribute.</summary>
    /// <param name="disk">The disk.</param>
    /// <param name="offset">Where the volume starts.</param>
    /// <param name="bootSector">The volume.</param>
    /// <param name="runs">Sane runs, from VCN 0.</param>
    /// <param name="position">The byte position in the attribute.</param>
    /// <param name="destination">Where to put the bytes.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns><see langword="false"/> when the runs do not map every byte asked for.</returns>
    public static async ValueTask<bool> ReadAsync(IBlockSource disk, long offset, NtfsBootSector bootSector, List<NtfsDataRun> runs, long position, Memory<byte> destination, CancellationToken cancellationToken)
    {
        long runStart = 0;
        var done = 0;
        foreach (var run in runs)
        {
            if (done == destination.Length)
            {
                break;
            }

            var runEnd = runStart + (run.Length * bootSector.ClusterBytes);
            var at = position + done;
            if (at < runEnd)
            {
                var count = (int)Math.Min(destination.Length - done, runEnd - at);
                var piece = destination.Slice(done, count);
                if (run.IsSparse)
                {
                    piece.Span.Clear();
                }
                else
                {
                    var diskOffset = offset + (run.Lcn * bootSector.ClusterBytes) + (at - runStart);
                    await DiskBytes.TryReadExactAsync(disk, diskOffset, piece, cancellationToken).ConfigureAwait(false);
                }

                done += count;
            }

            runStart = runEnd;
        }

        return done == destination.Length;
    }
}
