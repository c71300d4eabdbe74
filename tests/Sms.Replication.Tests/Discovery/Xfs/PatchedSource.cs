using Sms.Blocks;

namespace Sms.Replication.Tests.Discovery.Xfs;

/// <summary>
/// A read-only view of another source, optionally shifted (zeros first, as if the file system sat in a partition)
/// and with byte patches laid over it, so corruption tests never touch the image file.
/// </summary>
internal sealed class PatchedSource(IBlockSource inner, long shift = 0) : IBlockSource
{
    private readonly List<(long Offset, byte[] Bytes)> _patches = [];

    public long Length => inner.Length + shift;

    public int SectorSize => inner.SectorSize;

    public string Name => $"{inner.Name} (patched)";

    public int Reads { get; private set; }

    /// <summary>Lays <paramref name="bytes"/> over the view at <paramref name="offset"/> (view coordinates).</summary>
    public PatchedSource Patch(long offset, byte[] bytes)
    {
        _patches.Add((offset, bytes));
        return this;
    }

    public ValueTask<IReadOnlyList<BlockRange>> GetDataRangesAsync(CancellationToken cancellationToken = default)
        => ValueTask.FromResult<IReadOnlyList<BlockRange>>([new BlockRange(0, Length)]);

    public async ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Reads++;
        var count = (int)Math.Clamp(Length - offset, 0, buffer.Length);
        var target = buffer[..count];
        target.Span.Clear();
        var innerStart = Math.Max(offset, shift);
        if (innerStart < offset + count)
        {
            var skip = (int)(innerStart - offset);
            await inner.ReadAsync(innerStart - shift, target[skip..], cancellationToken);
        }

        foreach (var (at, bytes) in _patches)
        {
            var start = Math.Max(at, offset);
            var end = Math.Min(at + bytes.Length, offset + count);
            if (start < end)
            {
                bytes.AsSpan((int)(start - at), (int)(end - start)).CopyTo(target.Span[(int)(start - offset)..]);
            }
        }

        return count;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
