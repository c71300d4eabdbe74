using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using Sms.Blocks;

namespace Sms.Discovery.FileSystems.Ntfs;

/// <summary>
/// Walks $Bitmap (bit <c>n</c> of byte <c>n / 8</c>, least significant first, set = cluster <c>n</c> allocated) in
/// 1 MiB chunks, 64 clusters at a time, and turns runs of set bits into byte ranges.
/// </summary>
internal static class NtfsBitmapScanner
{
    private const int ChunkBytes = 1 << 20;

    /// <summary>Lists the allocated clusters as byte ranges.</summary>
    /// <param name="disk">The disk.</param>
    /// <param name="offset">Where the volume starts.</param>
    /// <param name="bootSector">The volume.</param>
    /// <param name="runs">The runs of $Bitmap's $DATA (sane, from VCN 0, mapping at least <paramref name="readableBytes"/>).</param>
    /// <param name="readableBytes">The initialized bytes of the bitmap; the rest is zeros.</param>
    /// <param name="ranges">Receives the ranges, relative to the volume, ascending and coalesced.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The number of allocated clusters.</returns>
    public static async ValueTask<long> ScanAsync(IBlockSource disk, long offset, NtfsBootSector bootSector, List<NtfsDataRun> runs, long readableBytes, List<BlockRange> ranges, CancellationToken cancellationToken)
    {
        var neededBytes = (bootSector.ClusterCount + 7) / 8;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            var state = new ScanState(bootSector.ClusterBytes, ranges);
            for (long at = 0; at < neededBytes; at += ChunkBytes)
            {
                var count = (int)Math.Min(ChunkBytes, neededBytes - at);
                var paddedCount = (count + 7) & ~7;
                var readable = (int)Math.Clamp(readableBytes - at, 0, count);
                buffer.AsSpan(readable, paddedCount - readable).Clear();
                if (readable > 0)
                {
                    await NtfsRunReader.ReadAsync(disk, offset, bootSector, runs, at, buffer.AsMemory(0, readable), cancellationToken).ConfigureAwait(false);
                }

                var clusters = Math.Min((long)count * 8, bootSector.ClusterCount - (at * 8));
                state.Scan(buffer.AsSpan(0, paddedCount), at * 8, clusters);
            }

            state.Finish();
            return state.Allocated;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private sealed class ScanState(int clusterBytes, List<BlockRange> ranges)
    {
        private long _runStart = -1;
        private long _end;

        public long Allocated { get; private set; }

        /// <summary>Scans bitmap words covering clusters <c>[firstCluster, firstCluster + clusters)</c>.</summary>
        public void Scan(ReadOnlySpan<byte> words, long firstCluster, long clusters)
        {
            for (var w = 0; (long)w * 64 < clusters; w++)
            {
                var word = BinaryPrimitives.ReadUInt64LittleEndian(words.Slice(w * 8, 8));
                var valid = clusters - ((long)w * 64);
                if (valid < 64)
                {
                    word &= (1UL << (int)valid) - 1;
                }

                Allocated += BitOperations.PopCount(word);
                var baseCluster = firstCluster + ((long)w * 64);
                if (word == (_runStart >= 0 ? ulong.MaxValue : 0))
                {
                    continue;
                }

                ScanWord(word, baseCluster);
            }

            _end = firstCluster + clusters;
        }

        public void Finish()
        {
            if (_runStart >= 0)
            {
                Close(_end);
            }
        }

        private void ScanWord(ulong word, long baseCluster)
        {
            var bit = 0;
            while (bit < 64)
            {
                if (_runStart >= 0)
                {
                    var zeros = ~word >> bit;
                    if (zeros == 0)
                    {
                        return;
                    }

                    bit += BitOperations.TrailingZeroCount(zeros);
                    Close(baseCluster + bit);
                }
                else
                {
                    var ones = word >> bit;
                    if (ones == 0)
                    {
                        return;
                    }

                    bit += BitOperations.TrailingZeroCount(ones);
                    _runStart = baseCluster + bit;
                }
            }
        }

        private void Close(long endCluster)
        {
            ranges.Add(BlockRange.FromBounds(_runStart * clusterBytes, endCluster * clusterBytes));
            _runStart = -1;
        }
    }
}
