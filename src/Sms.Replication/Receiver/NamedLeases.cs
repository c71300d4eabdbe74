using System.Collections.Concurrent;

namespace Sms.Receiver;

/// <summary>
/// Exclusive use of named things (volumes, file trees) by one session at a time: a later session waits for the
/// earlier one's lease, up to a deadline.
/// </summary>
internal sealed class NamedLeases
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _busy = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly string _what;

    /// <param name="timeProvider">The clock of the deadlines.</param>
    /// <param name="what">What the names are, capitalised, for the busy error ("Volume", "Tree").</param>
    public NamedLeases(TimeProvider timeProvider, string what)
    {
        _timeProvider = timeProvider;
        _what = what;
    }

    /// <summary>Held while a lease is released, so that a check of <see cref="IsHeld"/> under it sees no release half done.</summary>
    public object Gate { get; } = new();

    public bool IsHeld(string name) => _busy.ContainsKey(name);

    /// <summary>Takes the lease of <paramref name="name"/>, waiting up to <paramref name="wait"/> for its holder.</summary>
    /// <exception cref="ReplicationProtocolException">It stayed held (<see cref="SmsErrorCode.VolumeBusy"/>).</exception>
    public async Task<IDisposable> AcquireAsync(string name, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = _timeProvider.GetTimestamp() + (long)(wait.TotalSeconds * _timeProvider.TimestampFrequency);
        while (true)
        {
            var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_busy.TryAdd(name, mine))
            {
                return new Lease(this, name, mine);
            }

            if (!_busy.TryGetValue(name, out var holder))
            {
                continue;
            }

            var remaining = _timeProvider.GetElapsedTime(_timeProvider.GetTimestamp(), deadline);
            try
            {
                await holder.Task.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new ReplicationProtocolException(SmsErrorCode.VolumeBusy, $"{_what} '{name}' is being written by another session.");
            }
        }
    }

    /// <summary>Completes when every lease held now is released.</summary>
    public Task WhenReleasedAsync()
    {
        var pending = new List<Task>();
        foreach (var holder in _busy.Values)
        {
            pending.Add(holder.Task);
        }

        return Task.WhenAll(pending);
    }

    private sealed class Lease(NamedLeases owner, string name, TaskCompletionSource released) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                lock (owner.Gate)
                {
                    owner._busy.TryRemove(new KeyValuePair<string, TaskCompletionSource>(name, released));
                }

                released.TrySetResult();
            }
        }
    }
}
