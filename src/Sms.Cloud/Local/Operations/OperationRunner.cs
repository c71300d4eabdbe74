using System.Collections.Concurrent;

namespace Sms.Cloud.Local.Operations;

/// <summary>The background work of long-running operations, so that disposing the provider can wait for it.</summary>
internal sealed class OperationRunner
{
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="work"/> on the thread pool.</summary>
    /// <param name="operationId">The operation.</param>
    /// <param name="work">Its work; it records its own outcome and does not throw.</param>
    public void Start(string operationId, Func<Task> work)
    {
        var task = Task.Run(work);
        _running[operationId] = task;
        _ = task.ContinueWith(
            (done, state) => ((ConcurrentDictionary<string, Task>)state!).TryRemove(new KeyValuePair<string, Task>(operationId, done)),
            _running,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Completes when every operation started so far has finished.</summary>
    /// <returns>A task.</returns>
    public Task WhenIdleAsync() => Task.WhenAll(_running.Values);
}
