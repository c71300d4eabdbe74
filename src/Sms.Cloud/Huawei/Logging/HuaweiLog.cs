using Microsoft.Extensions.Logging;

namespace Sms.Cloud.Huawei.Logging;

/// <summary>
/// The provider's log messages (event ids 4000–4099). Nothing here takes a credential, a signature or a header:
/// requests are described by service, method, path, status and the provider's request id only.
/// </summary>
internal static partial class HuaweiLog
{
    [LoggerMessage(EventId = 4000, EventName = "HuaweiRequestSucceeded", Level = LogLevel.Debug, Message = "Huawei {Service} {Method} {Path} answered {Status} in {ElapsedMs} ms (request id {RequestId})")]
    public static partial void RequestSucceeded(this ILogger logger, string service, string method, string path, int status, long elapsedMs, string? requestId);

    [LoggerMessage(EventId = 4001, EventName = "HuaweiRequestFailed", Level = LogLevel.Warning, Message = "Huawei {Service} {Method} {Path} failed with {Status} {ProviderErrorCode}: {ProviderMessage} (request id {RequestId})")]
    public static partial void RequestFailed(this ILogger logger, string service, string method, string path, int status, string? providerErrorCode, string? providerMessage, string? requestId);

    [LoggerMessage(EventId = 4002, EventName = "HuaweiTransportFailed", Level = LogLevel.Warning, Message = "Huawei {Service} {Method} {Path} could not be completed")]
    public static partial void TransportFailed(this ILogger logger, string service, string method, string path, Exception exception);

    [LoggerMessage(EventId = 4003, EventName = "HuaweiOperationStarted", Level = LogLevel.Information, Message = "Huawei {Service} operation {OperationId} started")]
    public static partial void OperationStarted(this ILogger logger, string service, string operationId);

    [LoggerMessage(EventId = 4004, EventName = "HuaweiOperationSucceeded", Level = LogLevel.Information, Message = "Huawei operation {OperationId} succeeded")]
    public static partial void OperationSucceeded(this ILogger logger, string operationId);

    [LoggerMessage(EventId = 4005, EventName = "HuaweiOperationFailed", Level = LogLevel.Warning, Message = "Huawei operation {OperationId} failed with {ProviderErrorCode}: {FailReason}")]
    public static partial void OperationFailed(this ILogger logger, string operationId, string? providerErrorCode, string? failReason);

    [LoggerMessage(EventId = 4006, EventName = "HuaweiClientTokenFound", Level = LogLevel.Information, Message = "Huawei {Resource} {ResourceId} already exists for this client token; not creating another")]
    public static partial void ClientTokenFound(this ILogger logger, string resource, string resourceId);

    [LoggerMessage(EventId = 4007, EventName = "HuaweiUnknownJobStatus", Level = LogLevel.Warning, Message = "Huawei job {JobId} reported the unknown status {Status}; still waiting")]
    public static partial void UnknownJobStatus(this ILogger logger, string jobId, string? status);
}
