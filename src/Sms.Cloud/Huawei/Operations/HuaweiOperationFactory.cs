using Sms.Cloud.Huawei.Http;
using Sms.Cloud.Huawei.Json;
using Sms.Cloud.Huawei.Logging;

namespace Sms.Cloud.Huawei.Operations;

/// <summary>Makes the provider's operations: job-based ones (polled on the job API) and resource polls.</summary>
internal sealed class HuaweiOperationFactory
{
    private readonly HuaweiApiClient _api;

    public HuaweiOperationFactory(HuaweiApiClient api)
    {
        _api = api;
    }

    public HuaweiOperation Job(string kind, string jobId) =>
        Poll(kind, jobId, HuaweiJobPolling.Step(_api, Id(kind, jobId)));

    public HuaweiOperation<T> Job<T>(string kind, string jobId, Func<IReadOnlyDictionary<string, string>, CancellationToken, Task<T>> resolve)
        where T : class =>
        Poll(kind, jobId, HuaweiJobPolling.Step(_api, Id(kind, jobId)), resolve);

    public HuaweiOperation Poll(string kind, string resourceId, Func<CancellationToken, Task<HuaweiPollOutcome>> step) =>
        new(Id(kind, resourceId), new HuaweiOperationDriver(step, _api));

    public HuaweiOperation<T> Poll<T>(string kind, string resourceId, Func<CancellationToken, Task<HuaweiPollOutcome>> step, Func<IReadOnlyDictionary<string, string>, CancellationToken, Task<T>> resolve)
        where T : class =>
        new(Id(kind, resourceId), new HuaweiOperationDriver(step, _api), resolve);

    /// <summary>Sends a call that answers with a job id, and returns the started job operation.</summary>
    /// <exception cref="CloudRequestFailedException">The call failed, or its answer has no job id.</exception>
    public async Task<CloudOperation> StartJobAsync(string service, string kind, HttpMethod method, string path, byte[]? body, CancellationToken cancellationToken)
    {
        var request = new HuaweiRequest(service, method, path) { Body = body };
        (HuaweiJobAccepted accepted, string? requestId) = await _api.SendAsync(request, HuaweiJsonContext.Default.HuaweiJobAccepted, cancellationToken).ConfigureAwait(false);
        return Started(Job(kind, RequireJobId(accepted.JobId, service, "/" + path, requestId)));
    }

    /// <summary>Logs that an operation was just started (not resumed) and returns it.</summary>
    public TOperation Started<TOperation>(TOperation operation)
        where TOperation : CloudOperation
    {
        if (HuaweiOperationId.TryParse(operation.Id, out HuaweiOperationId? id))
        {
            _api.Logger.OperationStarted(id.Value.Service, operation.Id);
        }

        return operation;
    }

    /// <summary>The job id of an accepted asynchronous call.</summary>
    /// <exception cref="CloudRequestFailedException">The answer has no job id.</exception>
    public static string RequireJobId(string? jobId, string service, string path, string? requestId) =>
        string.IsNullOrEmpty(jobId) ? throw HuaweiErrors.UnexpectedResponse(service, path, "a job_id", requestId) : jobId;

    private static HuaweiOperationId Id(string kind, string resourceId) =>
        new(HuaweiOperationKinds.ServiceOf(kind), kind, resourceId);
}
