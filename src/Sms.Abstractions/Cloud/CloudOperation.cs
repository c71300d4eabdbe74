namespace Sms.Cloud;

/// <summary>
/// A long-running cloud operation (create a server, snapshot a volume…). Wait for it, poll it, or persist its
/// <see cref="Id"/> and resume it later with <see cref="ICloudProvider.ResumeOperationAsync"/>.
/// </summary>
public abstract class CloudOperation
{
    /// <summary>Creates an operation.</summary>
    /// <param name="id">The provider's id for it (a job id, say).</param>
    protected CloudOperation(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        Id = id;
    }

    /// <summary>The provider's id: persist it to resume the operation after a restart.</summary>
    /// <value>The id.</value>
    public string Id { get; }

    /// <summary>Whether it finished (successfully or not).</summary>
    /// <value><see langword="true"/> once done.</value>
    public bool HasCompleted { get; protected set; }

    /// <summary>The ids of the resources it produced (server_id, volume_id…), once known.</summary>
    /// <value>Empty until known.</value>
    public IReadOnlyDictionary<string, string> Entities { get; protected set; } = new Dictionary<string, string>();

    /// <summary>Asks the provider for the current status.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task.</returns>
    /// <exception cref="CloudRequestFailedException">The operation failed (its reason is in the message) or the request did.</exception>
    public abstract Task UpdateStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>Polls until the operation completes.</summary>
    /// <param name="pollingInterval">The first interval; providers may back off from it.</param>
    /// <param name="timeProvider">The clock for the waits.</param>
    /// <param name="cancellationToken">Cancels the wait (not the operation).</param>
    /// <returns>A task that completes when the operation has.</returns>
    /// <exception cref="CloudRequestFailedException">The operation failed.</exception>
    public virtual async Task WaitForCompletionAsync(TimeSpan pollingInterval, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        timeProvider ??= TimeProvider.System;
        var interval = pollingInterval;
        while (true)
        {
            await UpdateStatusAsync(cancellationToken).ConfigureAwait(false);
            if (HasCompleted)
            {
                return;
            }

            await Task.Delay(interval, timeProvider, cancellationToken).ConfigureAwait(false);
            interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, Math.Max(pollingInterval.Ticks, TimeSpan.FromSeconds(30).Ticks)));
        }
    }
}

/// <summary>A long-running operation that produces a value.</summary>
/// <typeparam name="T">The value: the created server, volume, snapshot or image.</typeparam>
public abstract class CloudOperation<T> : CloudOperation
    where T : class
{
    /// <summary>Creates an operation.</summary>
    /// <param name="id">The provider's id for it.</param>
    protected CloudOperation(string id)
        : base(id)
    {
    }

    /// <summary>The value, once the operation succeeded.</summary>
    /// <value>The value.</value>
    /// <exception cref="InvalidOperationException">The operation has not completed.</exception>
    public T Value => HasCompleted && ValueOrDefault is { } value ? value : throw new InvalidOperationException($"Operation {Id} has not completed.");

    /// <summary>The value, or <see langword="null"/> while running.</summary>
    /// <value>The value.</value>
    protected T? ValueOrDefault { get; set; }

    /// <summary>Polls until done and returns the value.</summary>
    /// <param name="pollingInterval">The first interval.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The value.</returns>
    /// <exception cref="CloudRequestFailedException">The operation failed.</exception>
    public async Task<T> WaitForValueAsync(TimeSpan pollingInterval, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        await WaitForCompletionAsync(pollingInterval, timeProvider, cancellationToken).ConfigureAwait(false);
        return Value;
    }
}
