using Sms.Blocks;

namespace Sms.Integration.Tests.Faults;

/// <summary>A source whose reads fail from the <c>failAtRead</c>-th on, with the exception a test gives (a bad sector).</summary>
public sealed class FaultyBlockSource(IBlockSource inner, int failAtRead, Func<long, Exception> error) : IBlockSource
{
    private int _reads;

    public long Length => inner.Length;

    public int SectorSize => inner.SectorSize;

    public string Name => inner.Name;

    public ValueTask<IReadOnlyList<BlockRange>> GetDataRangesAsync(CancellationToken cancellationToken = default) => inner.GetDataRangesAsync(cancellationToken);

    public ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
        => Interlocked.Increment(ref _reads) >= failAtRead ? ValueTask.FromException<int>(error(offset)) : inner.ReadAsync(offset, buffer, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
