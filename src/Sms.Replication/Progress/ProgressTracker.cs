using Sms.Replication;

namespace Sms.Progress;

/// <summary>
/// Counts a pass's bytes from several threads and turns them into <see cref="ReplicationProgress"/> snapshots; the
/// rate is computed over the last 5 seconds, as the seeds do, from samples taken at each report.
/// </summary>
public sealed class ProgressTracker
{
    /// <summary>The window of the rate.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(5);

    private readonly TimeProvider _timeProvider;
    private readonly long _start;
    private readonly Queue<(long Timestamp, long Scanned)> _samples = new();
    private readonly object _gate = new();
    private long _scanned;
    private long _sent;
    private long _written;

    /// <summary>Starts tracking.</summary>
    /// <param name="totalBytes">The bytes the pass will scan.</param>
    /// <param name="timeProvider">The clock.</param>
    public ProgressTracker(long totalBytes, TimeProvider? timeProvider = null)
    {
        TotalBytes = totalBytes;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _start = _timeProvider.GetTimestamp();
        _samples.Enqueue((_start, 0));
    }

    /// <summary>The bytes the pass will scan.</summary>
    /// <value>Bytes.</value>
    public long TotalBytes { get; }

    /// <summary>The bytes scanned so far.</summary>
    /// <value>Bytes.</value>
    public long BytesScanned => Interlocked.Read(ref _scanned);

    /// <summary>The bytes sent so far.</summary>
    /// <value>Bytes.</value>
    public long BytesSent => Interlocked.Read(ref _sent);

    /// <summary>The bytes written on the target so far.</summary>
    /// <value>Bytes.</value>
    public long BytesWritten => Interlocked.Read(ref _written);

    /// <summary>The time since tracking started.</summary>
    /// <value>The elapsed time.</value>
    public TimeSpan Elapsed => _timeProvider.GetElapsedTime(_start);

    /// <summary>Adds scanned bytes.</summary>
    /// <param name="bytes">The count.</param>
    public void AddScanned(long bytes) => Interlocked.Add(ref _scanned, bytes);

    /// <summary>Sets the bytes sent (a running total kept by the connection).</summary>
    /// <param name="bytes">The total.</param>
    public void SetSent(long bytes) => Interlocked.Exchange(ref _sent, bytes);

    /// <summary>Adds written bytes.</summary>
    /// <param name="bytes">The count.</param>
    public void AddWritten(long bytes) => Interlocked.Add(ref _written, bytes);

    /// <summary>Takes a snapshot and records a rate sample.</summary>
    /// <returns>The snapshot.</returns>
    public ReplicationProgress Snapshot()
    {
        var now = _timeProvider.GetTimestamp();
        var scanned = BytesScanned;
        double rate;
        lock (_gate)
        {
            _samples.Enqueue((now, scanned));
            while (_samples.Count > 2 && _timeProvider.GetElapsedTime(_samples.Peek().Timestamp, now) > RateWindow)
            {
                _samples.Dequeue();
            }

            var (oldestTime, oldestScanned) = _samples.Peek();
            var seconds = _timeProvider.GetElapsedTime(oldestTime, now).TotalSeconds;
            rate = seconds > 0 ? (scanned - oldestScanned) / seconds : 0;
        }

        return new ReplicationProgress(TotalBytes, scanned, BytesSent, BytesWritten, rate, _timeProvider.GetElapsedTime(_start, now));
    }
}
