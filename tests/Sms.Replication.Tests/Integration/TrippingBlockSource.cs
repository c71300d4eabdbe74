using Sms.Blocks;

namespace Sms.Replication.Tests.Integration;

/// <summary>A source that runs an action (a fault) once, after a given number of reads.</summary>
public sealed class TrippingBlockSource(IBlockSource inner, int tripAfterReads, Func<Task> trip) : IBlockSource
{
    private int _reads;

    public long Length => inner.Length;

    public int SectorSize => inner.SectorSize;

    public string Name => inner.Name;

    public ValueTask<IReadOnlyList<BlockRange>> GetDataRangesAsync(CancellationToken cancellationToken = default) => inner.GetDataRangesAsync(cancellationToken);

    public async ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref _reads) == tripAfterReads)
        {
            await trip();
        }

        return await inner.ReadAsync(offset, buffer, cancellationToken);
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
