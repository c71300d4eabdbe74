using Sms.Cloud.Huawei.Http;
using Sms.Cloud.Huawei.Logging;

namespace Sms.Cloud.Huawei.Operations;

/// <summary>
/// The polling state shared by <see cref="HuaweiOperation"/> and <see cref="HuaweiOperation{T}"/>: runs one poll step,
/// remembers a failure so that every later status update repeats it, and waits with jittered exponential back-off.
/// </summary>
internal sealed class HuaweiOperationDriver
{
    private readonly Func<CancellationToken, Task<HuaweiPollOutcome>> _poll;
    private readonly HuaweiApiClient _api;
    private CloudRequestFailedException? _failure;

    public HuaweiOperationDriver(Func<CancellationToken, Task<HuaweiPollOutcome>> poll, HuaweiApiClient api)
    {
        _poll = poll;
        _api = api;
    }

    public bool HasFailed => _failure is not null;

    public async Task<HuaweiPollOutcome> PollAsync(string operationId, CancellationToken cancellationToken)
    {
        HuaweiPollOutcome outcome = await _poll(cancellationToken).ConfigureAwait(false);
        if (outcome.Failure is { } failure)
        {
            _failure = failure;
            _api.Logger.OperationFailed(operationId, failure.ProviderErrorCode, failure.Message);
        }
        else if (outcome.Completed)
        {
            _api.Logger.OperationSucceeded(operationId);
        }

        return outcome;
    }

    public void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw failure;
        }
    }

    public async Task WaitAsync(CloudOperation operation, TimeSpan pollingInterval, TimeProvider? timeProvider, CancellationToken cancellationToken)
    {
        timeProvider ??= _api.TimeProvider;
        TimeSpan interval = pollingInterval > TimeSpan.Zero ? pollingInterval : _api.Options.PollInterval;
        TimeSpan max = interval > _api.Options.MaxPollInterval ? interval : _api.Options.MaxPollInterval;
        while (true)
        {
            await operation.UpdateStatusAsync(cancellationToken).ConfigureAwait(false);
            if (operation.HasCompleted)
            {
                return;
            }

            await Task.Delay(HuaweiPollBackoff.Jittered(interval, Random.Shared.NextDouble()), timeProvider, cancellationToken).ConfigureAwait(false);
            interval = HuaweiPollBackoff.Next(interval, max);
        }
    }
}
