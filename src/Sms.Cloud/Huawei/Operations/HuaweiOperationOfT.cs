namespace Sms.Cloud.Huawei.Operations;

/// <summary>A Huawei long-running operation whose success produces a resource (a server, a volume, a snapshot, an image).</summary>
/// <typeparam name="T">The resource.</typeparam>
internal sealed class HuaweiOperation<T> : CloudOperation<T>
    where T : class
{
    private readonly HuaweiOperationDriver _driver;
    private readonly Func<IReadOnlyDictionary<string, string>, CancellationToken, Task<T>> _resolve;

    /// <param name="id">The id.</param>
    /// <param name="driver">The poller.</param>
    /// <param name="resolve">Reads the resource once the operation succeeded, from the entities it reported.</param>
    public HuaweiOperation(HuaweiOperationId id, HuaweiOperationDriver driver, Func<IReadOnlyDictionary<string, string>, CancellationToken, Task<T>> resolve)
        : base(id.ToString())
    {
        _driver = driver;
        _resolve = resolve;
    }

    public override async Task UpdateStatusAsync(CancellationToken cancellationToken = default)
    {
        if (HasCompleted)
        {
            _driver.ThrowIfFailed();
            return;
        }

        HuaweiPollOutcome outcome = await _driver.PollAsync(Id, cancellationToken).ConfigureAwait(false);
        Entities = outcome.Entities;
        if (!outcome.Completed)
        {
            return;
        }

        if (_driver.HasFailed)
        {
            HasCompleted = true;
            _driver.ThrowIfFailed();
        }

        // Not completed until the value is read: a failed read is retried by the next update.
        ValueOrDefault = await _resolve(outcome.Entities, cancellationToken).ConfigureAwait(false);
        HasCompleted = true;
    }

    public override Task WaitForCompletionAsync(TimeSpan pollingInterval, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default) =>
        _driver.WaitAsync(this, pollingInterval, timeProvider, cancellationToken);
}
