using System.Collections.Concurrent;
using Sms.Files.Wire;

namespace Sms.Files.Source;

/// <summary>
/// The source's frame buffers: a fixed number, so memory is bounded by <c>count × capacity</c> whatever the tree.
/// Producers wait for a buffer when the sender is behind (backpressure all the way to the walk).
/// </summary>
internal sealed class BufferPool : IDisposable
{
    private readonly ConcurrentBag<RecordBuffer> _free = [];
    private readonly SemaphoreSlim _available;

    public BufferPool(int count, int capacity)
    {
        Capacity = capacity;
        for (var i = 0; i < count; i++)
        {
            _free.Add(new RecordBuffer(capacity));
        }

        _available = new SemaphoreSlim(count, count);
    }

    public int Capacity { get; }

    /// <summary>Takes a buffer, waiting on the calling thread (walkers and readers are dedicated threads).</summary>
    public RecordBuffer Rent(CancellationToken cancellationToken)
    {
        _available.Wait(cancellationToken);
        return Take();
    }

    public void Return(RecordBuffer buffer)
    {
        buffer.Reset();
        _free.Add(buffer);
        _available.Release();
    }

    public void Dispose() => _available.Dispose();

    private RecordBuffer Take()
    {
        if (!_free.TryTake(out var buffer))
        {
            throw new InvalidOperationException("The buffer pool is out of step with its semaphore.");
        }

        return buffer;
    }
}
