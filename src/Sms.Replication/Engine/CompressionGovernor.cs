namespace Sms.Engine;

/// <summary>
/// Decides whether to compress by measuring what it buys. In turns it runs half a second without compression and
/// half a second with it, compares the bytes the receiver acknowledged per second (uncompressed), keeps the faster
/// choice for eight seconds before measuring again. A probe's clock starts when the first block prepared its way
/// is acknowledged, so the blocks already in flight when it switched do not blur the measurement. Compression
/// pays on a slow link and costs on a fast one, or when the CPU it takes is the one the receiver needs (both ends
/// on one machine); measuring settles both.
/// </summary>
internal sealed class CompressionGovernor
{
    private static readonly TimeSpan Probe = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Exploit = TimeSpan.FromSeconds(8);

    private readonly TimeProvider _timeProvider;
    private Phase _phase = Phase.WithoutCompression;
    private long _phaseStart;
    private long _phaseBytes;
    private bool _measuring;
    private double _rateWithout;
    private volatile bool _compress;

    public CompressionGovernor(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _phaseStart = timeProvider.GetTimestamp();
    }

    private enum Phase
    {
        WithoutCompression,
        WithCompression,
        Keep,
    }

    /// <summary>Whether workers should compress the blocks they finish now.</summary>
    public bool Compress => _compress;

    /// <summary>Records bytes the receiver acknowledged; called by the acknowledgement loop only.</summary>
    /// <param name="plainBytes">Bytes of blocks prepared without trying compression.</param>
    /// <param name="compressionTriedBytes">Bytes of blocks on which compression was tried.</param>
    public void OnAcknowledged(long plainBytes, long compressionTriedBytes)
    {
        var now = _timeProvider.GetTimestamp();
        var matching = _phase switch
        {
            Phase.WithoutCompression => plainBytes,
            Phase.WithCompression => compressionTriedBytes,
            _ => plainBytes + compressionTriedBytes,
        };
        if (!_measuring)
        {
            if (matching == 0)
            {
                return; // still acknowledging blocks prepared before the switch
            }

            // The first block of this probe: its time is the start, its bytes are not counted.
            _measuring = true;
            _phaseStart = now;
            return;
        }

        _phaseBytes += matching;
        var elapsed = _timeProvider.GetElapsedTime(_phaseStart, now);
        if (elapsed < (_phase == Phase.Keep ? Exploit : Probe))
        {
            return;
        }

        var rate = _phaseBytes / elapsed.TotalSeconds;
        switch (_phase)
        {
            case Phase.WithoutCompression:
                _rateWithout = rate;
                Enter(Phase.WithCompression, compress: true, now);
                break;
            case Phase.WithCompression:
                // Compression must win clearly: it also costs CPU on both ends.
                Enter(Phase.Keep, compress: rate > _rateWithout * 1.1, now);
                break;
            default:
                Enter(Phase.WithoutCompression, compress: false, now);
                break;
        }
    }

    private void Enter(Phase phase, bool compress, long now)
    {
        _phase = phase;
        _compress = compress;
        _phaseStart = now;
        _phaseBytes = 0;
        _measuring = phase == Phase.Keep;
    }
}
