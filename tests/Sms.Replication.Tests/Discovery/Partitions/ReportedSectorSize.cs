using Sms.Blocks;

namespace Sms.Replication.Tests.Discovery.Partitions;

/// <summary>A disk that reports another logical sector size than the one under it (an image of a 4Kn disk, say).</summary>
internal sealed class ReportedSectorSize(IBlockSource inner, int sectorSize) : IBlockSource
{
    public long Length => inner.Length;

    public int SectorSize => sectorSize;

    public string Name => inner.Name;

    public ValueTask<IReadOnlyList<BlockRange>> GetDataRangesAsync(CancellationToken cancellationToken = default)
        => inner.GetDataRangesAsync(cancellationToken);

    public ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
        => inner.ReadAsync(offset, buffer, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
