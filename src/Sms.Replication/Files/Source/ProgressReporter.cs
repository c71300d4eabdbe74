using Sms.Protocol;
using Sms.Replication;

namespace Sms.Files.Source;

/// <summary>Reports a pass's progress about four times a second; the total grows as the walk finds files.</summary>
internal sealed class ProgressReporter : IDisposable
{
    private readonly IProgress<ReplicationProgress> _progress;
    private readonly PassContext _context;
    private readonly FrameWindow _window;
    private readonly FrameConnection _connection;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly ITimer _timer;
    private readonly Queue<(long Timestamp, long Scanned)> _samples = new();
    private readonly object _gate = new();

    public ProgressReporter(IProgress<ReplicationProgress> progress, PassContext context, FrameWindow window, FrameConnection connection, TimeProvider time)
    {
        _progress = progress;
        _context = context;
        _window = window;
        _connection = connection;
        _time = time;
        _started = time.GetTimestamp();
        _samples.Enqueue((_started, 0));
        _timer = time.CreateTimer(_ => Report(), null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
    }

    public void Report()
    {
        var now = _time.GetTimestamp();
        var scanned = _context.Counters.BytesScanned;
        double rate;
        lock (_gate)
        {
            _samples.Enqueue((now, scanned));
            while (_samples.Count > 2 && _time.GetElapsedTime(_samples.Peek().Timestamp, now) > Sms.Progress.ProgressTracker.RateWindow)
            {
                _samples.Dequeue();
            }

            var (then, before) = _samples.Peek();
            var seconds = _time.GetElapsedTime(then, now).TotalSeconds;
            rate = seconds > 0 ? (scanned - before) / seconds : 0;
        }

        var total = Math.Max(scanned, _context.Counters.BytesDiscovered);
        _progress.Report(new ReplicationProgress(total, scanned, _connection.BytesWritten, _window.BytesWritten, rate, _time.GetElapsedTime(_started, now)));
    }

    public void Dispose() => _timer.Dispose();
}
