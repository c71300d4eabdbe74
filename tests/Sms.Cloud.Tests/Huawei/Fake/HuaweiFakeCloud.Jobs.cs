using System.Text.Json.Nodes;
using Sms.Cloud.Tests.Huawei.Fixtures;

namespace Sms.Cloud.Tests.Huawei.Fake;

/// <summary>The job API, <c>GET /v1/{project_id}/jobs/{job_id}</c>, on ECS, EVS and IMS: a job is only known to its own service.</summary>
internal sealed partial class HuaweiFakeCloud
{
    private FakeJob StartJob(string service, string type, JsonObject entities, Action? onSuccess, Action? onFail = null)
    {
        (string Code, string Reason)? failure = TakeJobFailure(type);
        var job = new FakeJob
        {
            Id = FakeCloudState.NewJobId(),
            Service = service,
            Type = type,
            Entities = entities,
            Statuses = failure is null ? ["INIT", "RUNNING", "SUCCESS"] : ["INIT", "RUNNING", "FAIL"],
            ErrorCode = failure?.Code,
            FailReason = failure?.Reason,
            OnSuccess = onSuccess,
            OnFail = onFail,
        };
        State.Jobs[job.Id] = job;
        return job;
    }

    private void MapJobs()
    {
        foreach (string service in new[] { "ecs", "evs", "ims" })
        {
            Map(service, "GET", "/v1/{project}/jobs/(?<job>[^/]+)", call => PollJob(service, call["job"]));
        }
    }

    private FakeResponse PollJob(string service, string jobId)
    {
        if (!State.Jobs.TryGetValue(jobId, out FakeJob? job) || job.Service != service)
        {
            // A failed job query answers {"code", "message"} (model_show_job_response.go).
            return new FakeResponse(404, new JsonObject { ["code"] = "Common.0024", ["message"] = $"The job {jobId} does not exist." });
        }

        string status = Tick(job);
        job.Answered.Add(status);

        bool failed = status == "FAIL";
        if (service == "ecs")
        {
            JsonObject ecs = JsonNode.Parse(EcsFixtures.JobSucceeded)!.AsObject();
            SetCommon(ecs, job, status, failed);
            JsonObject subJob = ecs["entities"]!["sub_jobs"]![0]!.AsObject();
            subJob["status"] = status;
            subJob["entities"] = job.Entities.DeepClone();
            subJob["job_id"] = job.Id + "-1";
            subJob["error_code"] = failed ? job.ErrorCode : null;
            subJob["fail_reason"] = failed ? job.FailReason : null;
            return FakeResponse.Ok(ecs);
        }

        JsonObject body = JsonNode.Parse(service == "evs" ? EvsFixtures.JobSucceeded : ImsFixtures.JobSucceeded)!.AsObject();
        SetCommon(body, job, status, failed);
        body["entities"] = job.Entities.DeepClone();
        return FakeResponse.Ok(body);
    }

    /// <summary>Lets one unit of time pass for a job: returns its status, then moves it on; the terminal status applies the effect once.</summary>
    private static string Tick(FakeJob job)
    {
        string status = job.Statuses[job.Position];
        if (job.Position < job.Statuses.Count - 1)
        {
            job.Position++;
        }
        else if (!job.Finished)
        {
            job.Finished = true;
            (status == "SUCCESS" ? job.OnSuccess : job.OnFail)?.Invoke();
        }

        return status;
    }

    private static void SetCommon(JsonObject body, FakeJob job, string status, bool failed)
    {
        body["status"] = status;
        body["job_id"] = job.Id;
        body["job_type"] = job.Type;
        body["end_time"] = status is "SUCCESS" or "FAIL" ? body["end_time"]?.DeepClone() : null;
        body["error_code"] = failed ? job.ErrorCode : null;
        body["fail_reason"] = failed ? job.FailReason : null;
    }
}
