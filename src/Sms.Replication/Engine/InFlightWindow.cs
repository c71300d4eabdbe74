using Sms.Manifests;

namespace Sms.Engine;

/// <summary>
/// The data frames sent and not yet acknowledged, in order. Acknowledgements write the new hashes into the manifest;
/// the window's size bounds how far the source runs ahead of the target.
/// </summary>
internal sealed class InFlightWindow : IDisposable
{
    private readonly Queue<(long Index, UInt128 Hash, int Length)> _queue;
    private readonly SemaphoreSlim _slots;
    private readonly BlockManifest _manifest;
    private readonly object _gate = new();
    private long _sent;
    private long _acknowledged;

    public InFlightWindow(BlockManifest manifest, int capacity)
    {
        _manifest = manifest;
        _queue = new Queue<(long, UInt128, int)>(capacity);
        _slots = new SemaphoreSlim(capacity, capacity);
    }

    public long Sent => Interlocked.Read(ref _sent);

    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    public Task WaitForRoomAsync(CancellationToken cancellationToken) => _slots.WaitAsync(cancellationToken);

    /// <summary>Records a frame about to be sent: its manifest entry becomes unknown first.</summary>
    public void Add(long index, UInt128 hash, int length)
    {
        _manifest.Set(index, Sms.Blocks.BlockHash.Unknown);
        lock (_gate)
        {
            _queue.Enqueue((index, hash, length));
            _sent++;
        }
    }

    /// <summary>Applies an acknowledgement of the first <paramref name="count"/> frames; returns the bytes newly written.</summary>
    public long Acknowledge(long count)
    {
        long bytes = 0;
        int released = 0;
        lock (_gate)
        {
            if (count < _acknowledged || count > _sent)
            {
                throw new ReplicationProtocolException(
                    SmsErrorCode.ProtocolViolation,
                    $"The receiver acknowledged {count} frames, but {_sent} were sent and {_acknowledged} acknowledged before.");
            }

            while (_acknowledged < count)
            {
                var (index, hash, length) = _queue.Dequeue();
                _manifest.Set(index, hash);
                bytes += length;
                _acknowledged++;
                released++;
            }
        }

        if (released > 0)
        {
            _slots.Release(released);
        }

        return bytes;
    }

    public void Dispose() => _slots.Dispose();
}
