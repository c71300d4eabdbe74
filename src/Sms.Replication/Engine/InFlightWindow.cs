using Sms.Manifests;

namespace Sms.Engine;

/// <summary>
/// The data frames sent and not yet acknowledged, in order. Acknowledgements write the new hashes into the manifest;
/// the window's size bounds how far the source runs ahead of the target.
/// </summary>
internal sealed class InFlightWindow : IDisposable
{
    private readonly Queue<(long Index, UInt128 Hash, int Length, bool Compressed)> _queue;
    private readonly SemaphoreSlim _slots;
    private readonly BlockManifest _manifest;
    private readonly object _gate = new();
    private long _sent;
    private long _acknowledged;

    public InFlightWindow(BlockManifest manifest, int capacity)
    {
        _manifest = manifest;
        _queue = new Queue<(long, UInt128, int, bool)>(capacity);
        _slots = new SemaphoreSlim(capacity, capacity);
    }

    public long Sent => Interlocked.Read(ref _sent);

    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    public Task WaitForRoomAsync(CancellationToken cancellationToken) => _slots.WaitAsync(cancellationToken);

    /// <summary>Records a frame about to be sent: its manifest entry becomes unknown first.</summary>
    public void Add(long index, UInt128 hash, int length, bool compressionTried)
    {
        _manifest.Set(index, Sms.Blocks.BlockHash.Unknown);
        lock (_gate)
        {
            _queue.Enqueue((index, hash, length, compressionTried));
            _sent++;
        }
    }

    /// <summary>
    /// Applies an acknowledgement of the first <paramref name="count"/> frames; returns the bytes newly written,
    /// split by whether compression was tried on them.
    /// </summary>
    public (long Plain, long CompressionTried) Acknowledge(long count)
    {
        long plain = 0;
        long tried = 0;
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
                var (index, hash, length, compressed) = _queue.Dequeue();
                _manifest.Set(index, hash);
                if (compressed)
                {
                    tried += length;
                }
                else
                {
                    plain += length;
                }

                _acknowledged++;
                released++;
            }
        }

        if (released > 0)
        {
            _slots.Release(released);
        }

        return (plain, tried);
    }

    public void Dispose() => _slots.Dispose();
}
