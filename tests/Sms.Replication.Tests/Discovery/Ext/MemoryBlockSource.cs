using Sms.Blocks;

namespace Sms.Replication.Tests.Discovery.Ext;

/// <summary>A block source over a byte array: the whole array is data.</summary>
internal sealed class MemoryBlockSource(byte[] bytes, string name = "memory") : IBlockSource
{
    public long Length => bytes.Length;

    public int SectorSize => 512;

    public string Name => name;

    public ValueTask<IReadOnlyList<BlockRange>> GetDataRangesAsync(CancellationToken cancellationToken = default)
        => ValueTask.FromResult<IReadOnlyList<BlockRange>>([new BlockRange(0, bytes.Length)]);

    public ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset >= bytes.Length)
        {
            return ValueTask.FromResult(0);
        }

        var count = (int)Math.Min(buffer.Length, bytes.Length - offset);
        bytes.AsSpan((int)offset, count).CopyTo(buffer.Span);
        return ValueTask.FromResult(count);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
