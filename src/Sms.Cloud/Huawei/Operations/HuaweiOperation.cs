namespace Sms.Cloud.Huawei.Operations;

/// <summary>A Huawei long-running operation without a value (start, stop, attach, delete…).</summary>
internal sealed class HuaweiOperation : CloudOperation
{
    private readonly HuaweiOperationDriver _driver;

    public HuaweiOperation(HuaweiOperationId id, HuaweiOperationDriver driver)
        : base(id.ToString())
    {
        _driver = driver;
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
        if (outcome.Completed)
        {
            HasCompleted = true;
            _driver.ThrowIfFailed();
        }
    }

    public override Task WaitForCompletionAsync(TimeSpan pollingInterval, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default) =>
        _driver.WaitAsync(this, pollingInterval, timeProvider, cancellationToken);
}
