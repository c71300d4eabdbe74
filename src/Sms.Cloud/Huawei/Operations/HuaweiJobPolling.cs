using System.Globalization;
using System.Text.Json;
using Sms.Cloud.Huawei.Http;
using Sms.Cloud.Huawei.Json;
using Sms.Cloud.Huawei.Logging;

namespace Sms.Cloud.Huawei.Operations;

/// <summary>
/// The poll step of a job: <c>GET /v1/{project_id}/jobs/{job_id}</c> on the service that started it. SUCCESS and
/// FAIL end it (FAIL with its <c>fail_reason</c> and <c>error_code</c>, or those of its failed sub-job); INIT and
/// RUNNING keep it going.
/// </summary>
internal static class HuaweiJobPolling
{
    public static Func<CancellationToken, Task<HuaweiPollOutcome>> Step(HuaweiApiClient api, HuaweiOperationId id) =>
        async cancellationToken =>
        {
            var request = new HuaweiRequest(id.Service, HttpMethod.Get, $"v1/{Uri.EscapeDataString(api.ProjectId)}/jobs/{Uri.EscapeDataString(id.ResourceId)}");
            (HuaweiJob job, string? requestId) = await api.SendAsync(request, HuaweiJsonContext.Default.HuaweiJob, cancellationToken).ConfigureAwait(false);
            (Dictionary<string, string> entities, string? subErrorCode, string? subFailReason) = Flatten(job.Entities);
            switch (job.Status?.ToUpperInvariant())
            {
                case "SUCCESS":
                    return HuaweiPollOutcome.Succeeded(entities);
                case "FAIL":
                    return HuaweiPollOutcome.Failed(
                        entities,
                        HuaweiErrors.JobFailed(
                            id.ResourceId,
                            job.JobType,
                            job.ErrorCode ?? subErrorCode,
                            job.FailReason ?? subFailReason,
                            requestId,
                            HuaweiOperationKinds.FailureCodeOf(id.Kind)));
                case "INIT":
                case "RUNNING":
                    return HuaweiPollOutcome.Running(entities);
                default:
                    api.Logger.UnknownJobStatus(id.ResourceId, job.Status);
                    return HuaweiPollOutcome.Running(entities);
            }
        };

    /// <summary>
    /// Flattens a job's <c>entities</c> into id pairs: its own scalar members (EVS: <c>volume_id</c>; IMS:
    /// <c>image_id</c>) and those of its sub-jobs' entities (ECS: <c>server_id</c>), the first value winning; plus the
    /// code and reason of the first failed sub-job.
    /// </summary>
    public static (Dictionary<string, string> Entities, string? ErrorCode, string? FailReason) Flatten(JsonElement entities)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        string? errorCode = null;
        string? failReason = null;
        if (entities.ValueKind != JsonValueKind.Object)
        {
            return (result, null, null);
        }

        AddScalars(entities, result);
        if (entities.TryGetProperty("sub_jobs", out JsonElement subJobs) && subJobs.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement subJob in subJobs.EnumerateArray())
            {
                if (subJob.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                JsonElement subEntities = default;
                bool hasEntities = subJob.TryGetProperty("entities", out subEntities) && subEntities.ValueKind == JsonValueKind.Object;
                if (hasEntities)
                {
                    AddScalars(subEntities, result);
                }

                if (failReason is null && subJob.TryGetProperty("status", out JsonElement status)
                    && string.Equals(status.GetString(), "FAIL", StringComparison.OrdinalIgnoreCase))
                {
                    errorCode = Scalar(subJob, "error_code");
                    failReason = Scalar(subJob, "fail_reason") ?? (hasEntities ? Scalar(subEntities, "errorcode_message") : null);
                }
            }
        }

        return (result, errorCode, failReason);
    }

    private static void AddScalars(JsonElement element, Dictionary<string, string> into)
    {
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (Scalar(property.Value) is { } value)
            {
                into.TryAdd(property.Name, value);
            }
        }
    }

    private static string? Scalar(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) ? Scalar(value) : null;

    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() is { Length: > 0 } text ? text : null,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => value.GetBoolean().ToString(CultureInfo.InvariantCulture).ToLowerInvariant(),
        _ => null,
    };
}
