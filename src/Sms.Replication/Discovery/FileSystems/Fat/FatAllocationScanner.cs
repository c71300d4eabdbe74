using System.Buffers;
using Sms.Blocks;

namespace Sms.Discovery.FileSystems.Fat;

/// <summary>
/// Walks the FAT in chunks and finds the data clusters whose entry is non-zero (in use, end of chain, reserved or
/// bad: anything but free). Memory stays bounded: one 768 KiB chunk, a whole number of 12-, 16- and 32-bit entries.
/// </summary>
internal static class FatAllocationScanner
{
    private const int ChunkBytes = 3 << 18;

    /// <summary>Counts (and optionally lists) the allocated data clusters.</summary>
    /// <param name="disk">The disk.</param>
    /// <param name="offset">Where the volume starts.</param>
    /// <param name="bootSector">The volume's BPB.</param>
    /// <param name="ranges">Receives the clusters' byte ranges relative to the volume, ascending and coalesced; or <see langword="null"/> to count only.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The number of allocated clusters.</returns>
    public static async ValueTask<long> ScanAsync(IBlockSource disk, long offset, FatBootSector bootSector, List<BlockRange>? ranges, CancellationToken cancellationToken)
    {
        var type = bootSector.Type;
        var entriesPerChunk = ChunkBytes * 8 / (int)type;
        var end = bootSector.ClusterCount + 2;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            long allocated = 0;
            long runStart = -1;
            for (long chunkStart = 0; chunkStart < end; chunkStart += entriesPerChunk)
            {
                var chunkEnd = Math.Min(end, chunkStart + entriesPerChunk);
                var byteStart = FatEntries.BytesFor(type, chunkStart);
                var byteCount = (int)(FatEntries.BytesFor(type, chunkEnd) - byteStart);
                var chunk = buffer.AsMemory(0, byteCount);
                await DiskBytes.TryReadExactAsync(disk, offset + bootSector.FatOffset + byteStart, chunk, cancellationToken).ConfigureAwait(false);
                (allocated, runStart) = ScanChunk(chunk.Span, bootSector, chunkStart, chunkEnd, allocated, runStart, ranges);
            }

            if (runStart >= 0)
            {
                AddRun(ranges, bootSector, runStart, end);
            }

            return allocated;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static (long Allocated, long RunStart) ScanChunk(ReadOnlySpan<byte> fat, FatBootSector bootSector, long chunkStart, long chunkEnd, long allocated, long runStart, List<BlockRange>? ranges)
    {
        var type = bootSector.Type;
        var count = (int)(chunkEnd - chunkStart);
        for (var i = chunkStart < 2 ? (int)(2 - chunkStart) : 0; i < count; i++)
        {
            var cluster = chunkStart + i;
            if (FatEntries.Read(fat, type, i) != 0)
            {
                allocated++;
                if (runStart < 0)
                {
                    runStart = cluster;
                }
            }
            else if (runStart >= 0)
            {
                AddRun(ranges, bootSector, runStart, cluster);
                runStart = -1;
            }
        }

        return (allocated, runStart);
    }

    private static void AddRun(List<BlockRange>? ranges, FatBootSector bootSector, long firstCluster, long endCluster)
        => ranges?.Add(BlockRange.FromBounds(bootSector.ClusterOffset(firstCluster), bootSector.ClusterOffset(endCluster)));
}
