using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sms.Cloud.Huawei.Json;

/// <summary>
/// <c>GET /v1/{project_id}/jobs/{job_id}</c> (API reference C7; Go SDK ecs model_show_job_response.go, model_sub_job.go).
/// ECS, EVS and IMS share the shape; <c>entities</c> differs per service, so it is kept as raw JSON.
/// </summary>
internal sealed class HuaweiJob
{
    [JsonPropertyName("job_id")]
    public string? JobId { get; init; }

    [JsonPropertyName("job_type")]
    public string? JobType { get; init; }

    /// <summary>SUCCESS, RUNNING, FAIL or INIT.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("entities")]
    public JsonElement Entities { get; init; }

    [JsonPropertyName("error_code")]
    public string? ErrorCode { get; init; }

    [JsonPropertyName("fail_reason")]
    public string? FailReason { get; init; }

    /// <summary>Set when the job query itself failed.</summary>
    [JsonPropertyName("code")]
    public string? Code { get; init; }

    /// <summary>Set when the job query itself failed.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; init; }
}
