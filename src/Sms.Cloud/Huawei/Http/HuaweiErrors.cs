using System.Globalization;

namespace Sms.Cloud.Huawei.Http;

/// <summary>Builds the <see cref="CloudRequestFailedException"/>s of the provider and picks their <see cref="SmsErrorCode"/>.</summary>
internal static class HuaweiErrors
{
    /// <summary>
    /// The SDK code of a failure: a quota or arrears problem is <see cref="SmsErrorCode.QuotaExceeded"/>; otherwise the
    /// failure code of the operation when it has one (creating a server: SMS.0601, a disk: SMS.1105); otherwise 404 is
    /// <see cref="SmsErrorCode.ResourceNotFound"/>, 409 <see cref="SmsErrorCode.ResourceConflict"/>, the rest
    /// <see cref="SmsErrorCode.CloudRequestFailed"/>.
    /// </summary>
    public static SmsErrorCode Classify(int status, string? providerCode, string? message, SmsErrorCode? failureCode)
    {
        if (IsQuota(status, providerCode, message))
        {
            return SmsErrorCode.QuotaExceeded;
        }

        if (failureCode is { } code)
        {
            return code;
        }

        return status switch
        {
            404 => SmsErrorCode.ResourceNotFound,
            409 => SmsErrorCode.ResourceConflict,
            _ => SmsErrorCode.CloudRequestFailed,
        };
    }

    /// <summary>
    /// Whether the failure is a quota (or, as the seeds' SMS.6526 groups them, a balance) problem. Huawei publishes no
    /// single list of quota error codes in the stored reference, so the provider's code and message are searched for
    /// "quota" (Nova-style APIs also answer 413 when over a limit).
    /// </summary>
    public static bool IsQuota(int status, string? providerCode, string? message) =>
        status == 413
        || (providerCode?.Contains("quota", StringComparison.OrdinalIgnoreCase) ?? false)
        || (message?.Contains("quota", StringComparison.OrdinalIgnoreCase) ?? false)
        || (message?.Contains("insufficient balance", StringComparison.OrdinalIgnoreCase) ?? false);

    public static CloudRequestFailedException RequestFailed(
        int status,
        HuaweiErrorBody error,
        string? requestId,
        string service,
        HttpMethod method,
        string path,
        SmsErrorCode? failureCode)
    {
        string message = string.Create(
            CultureInfo.InvariantCulture,
            $"Huawei Cloud {service.ToUpperInvariant()} {method.Method} {path} failed with HTTP {status}{(error.Code is null ? string.Empty : " " + error.Code)}: {error.Message ?? "no error message"}{RequestIdSuffix(requestId)}.");
        return new CloudRequestFailedException(status, error.Code, message, requestId, Classify(status, error.Code, error.Message, failureCode))
        {
            IsTransient = status is 408 or 429 || status >= 500,
        };
    }

    public static CloudRequestFailedException TransportFailed(string service, HttpMethod method, string path, Exception inner) =>
        new(
            0,
            null,
            $"Huawei Cloud {service.ToUpperInvariant()} {method.Method} {path} could not be completed: {inner.Message}",
            null,
            SmsErrorCode.CloudRequestFailed,
            inner)
        {
            IsTransient = true,
        };

    public static CloudRequestFailedException JobFailed(string jobId, string? jobType, string? errorCode, string? failReason, string? requestId, SmsErrorCode? failureCode) =>
        new(
            0,
            errorCode,
            string.Create(
                CultureInfo.InvariantCulture,
                $"Huawei Cloud job {jobId}{(jobType is null ? string.Empty : " (" + jobType + ")")} failed{(errorCode is null ? string.Empty : " with " + errorCode)}: {failReason ?? "no reason given"}{RequestIdSuffix(requestId)}."),
            requestId,
            Classify(0, errorCode, failReason, failureCode));

    public static CloudRequestFailedException ResourceFailed(string what, string id, string status, SmsErrorCode? failureCode) =>
        new(
            0,
            null,
            string.Create(CultureInfo.InvariantCulture, $"Huawei Cloud {what} {id} went to status {status}."),
            null,
            failureCode ?? SmsErrorCode.CloudRequestFailed);

    public static CloudRequestFailedException UnexpectedResponse(string service, string path, string what, string? requestId) =>
        new(
            0,
            null,
            string.Create(CultureInfo.InvariantCulture, $"Huawei Cloud {service.ToUpperInvariant()} {path} answered without {what}{RequestIdSuffix(requestId)}."),
            requestId);

    private static string RequestIdSuffix(string? requestId) =>
        requestId is null ? string.Empty : " (request id " + requestId + ")";
}
