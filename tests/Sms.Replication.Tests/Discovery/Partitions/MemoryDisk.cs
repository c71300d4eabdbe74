using Sms.Blocks;

namespace Sms.Replication.Tests.Discovery.Partitions;

/// <summary>
/// A sparse disk in memory: any length (terabytes cost nothing), a reported sector size, and bytes written at a few
/// offsets; everything else reads as zeros. Counts reads so tests can see that a reader stops.
/// </summary>
public sealed class MemoryDisk : IBlockSource
{
    private const int ChunkSize = 4096;
    private readonly Dictionary<long, byte[]> _chunks = [];

    public MemoryDisk(long length, int sectorSize = 512)
    {
        Length = length;
        SectorSize = sectorSize;
    }

    public long Length { get; }

    public int SectorSize { get; }

    public string Name => "memory";

    /// <summary>How many reads the disk has served.</summary>
    public int ReadCount { get; private set; }

    public void Write(long offset, ReadOnlySpan<byte> bytes)
    {
        for (var i = 0; i < bytes.Length;)
        {
            var at = offset + i;
            var chunk = GetChunk(at / ChunkSize);
            var within = (int)(at % ChunkSize);
            var count = Math.Min(ChunkSize - within, bytes.Length - i);
            bytes.Slice(i, count).CopyTo(chunk.AsSpan(within));
            i += count;
        }
    }

    public byte[] Read(long offset, int count)
    {
        var bytes = new byte[count];
        Copy(offset, bytes);
        return bytes;
    }

    public ValueTask<IReadOnlyList<BlockRange>> GetDataRangesAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<BlockRange> ranges = BlockRanges.Coalesce(_chunks.Keys.Select(k => new BlockRange(k * ChunkSize, Math.Min(ChunkSize, Length - (k * ChunkSize)))));
        return ValueTask.FromResult(ranges);
    }

    public ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        cancellationToken.ThrowIfCancellationRequested();
        ReadCount++;
        var count = (int)Math.Clamp(Length - offset, 0, buffer.Length);
        Copy(offset, buffer.Span[..count]);
        return ValueTask.FromResult(count);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void Copy(long offset, Span<byte> destination)
    {
        for (var i = 0; i < destination.Length;)
        {
            var at = offset + i;
            var within = (int)(at % ChunkSize);
            var count = Math.Min(ChunkSize - within, destination.Length - i);
            if (_chunks.TryGetValue(at / ChunkSize, out var chunk))
            {
                chunk.AsSpan(within, count).CopyTo(destination[i..]);
            }
            else
            {
                destination.Slice(i, count).Clear();
            }

            i += count;
        }
    }

    private byte[] GetChunk(long index)
    {
        if (!_chunks.TryGetValue(index, out var chunk))
        {
            chunk = new byte[ChunkSize];
            _chunks[index] = chunk;
        }

        return chunk;
    }
}
