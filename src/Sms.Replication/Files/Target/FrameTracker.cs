using System.Runtime.CompilerServices;
namespace Sms.Files.Target;

/// <summary>
/// The receiver's count of data frames: each gets an index when read; frames complete out of order (parallel
/// writers), and the acknowledged count is the length of the completed prefix.
/// </summary>
internal sealed class FrameTracker : IDisposable
{
    private readonly object _gate = new();
    private readonly HashSet<long> _doneAhead = [];
    private readonly SemaphoreSlim _progress = new(0);
    private long _assigned;
    private long _completed;

    public long Assigned => Interlocked.Read(ref _assigned);

    public long Completed => Interlocked.Read(ref _completed);

    public long Next() => Interlocked.Increment(ref _assigned) - 1;

    /// <summary>Marks a frame complete; returns the completed prefix.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public long Complete(long frame)
    {
        long completed;
        lock (_gate)
        {
            if (frame == _completed)
            {
                completed = _completed + 1;
                while (_doneAhead.Remove(completed))
                {
                    completed++;
                }

                Interlocked.Exchange(ref _completed, completed);
            }
            else
            {
                _doneAhead.Add(frame);
                completed = _completed;
            }
        }

        _progress.Release();
        return completed;
    }

    /// <summary>Waits until every frame read so far is complete.</summary>
    public Task WaitAllAsync(Func<Exception?> failure, CancellationToken cancellationToken)
        => WaitForAsync(Assigned, failure, cancellationToken);

    /// <summary>Waits until the first <paramref name="count"/> frames are complete.</summary>
    public async Task WaitForAsync(long count, Func<Exception?> failure, CancellationToken cancellationToken)
    {
        while (Completed < count)
        {
            if (failure() is { } error)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
            }

            await _progress.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (failure() is { } failed)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failed);
        }
    }

    /// <summary>Wakes a waiter (after a failure).</summary>
    public void Wake() => _progress.Release();

    public void Dispose() => _progress.Dispose();
}
