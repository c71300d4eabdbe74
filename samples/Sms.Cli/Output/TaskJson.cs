using System.Text.Json;
using System.Text.Json.Serialization;
using Sms.Migration;

namespace Sms.Cli.Output;

/// <summary>
/// The <c>--json</c> line of the workflow commands: the task's identity, stage and state, and the pass figures the
/// console contract names (<c>mode</c>, <c>bytesScanned</c>, <c>bytesSent</c>, <c>bytesWritten</c>,
/// <c>durationSeconds</c>, <c>verified</c>) summed over the disks of the last pass.
/// </summary>
internal sealed record TaskJson
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Stage { get; init; }

    public required string State { get; init; }

    public string? Step { get; init; }

    public string? Mode { get; init; }

    public long BytesScanned { get; init; }

    public long BytesSent { get; init; }

    public long BytesWritten { get; init; }

    public double DurationSeconds { get; init; }

    public bool? Verified { get; init; }

    public int PassesCompleted { get; init; }

    public string? TargetServerId { get; init; }

    public int Resources { get; init; }

    public IReadOnlyList<string> Clones { get; init; } = [];

    public string? ErrorCode { get; init; }

    public string? Error { get; init; }

    public static TaskJson From(MigrationTask t, TimeSpan duration)
    {
        long scanned = 0, sent = 0, written = 0;
        bool? verified = null;
        string? mode = null;
        foreach (var d in t.Disks)
        {
            scanned += d.BytesScanned;
            sent += d.BytesSent;
            written += d.BytesWritten;
            mode = mode is null || mode == d.Mode ? d.Mode : "mixed";
            verified = d.Verified is null ? verified : (verified ?? true) && d.Verified.Value;
        }

        return new TaskJson
        {
            Id = t.Id,
            Name = t.Name,
            Stage = t.Stage.ToString().ToLowerInvariant(),
            State = t.State.ToString().ToLowerInvariant(),
            Step = t.Step,
            Mode = mode,
            BytesScanned = scanned,
            BytesSent = sent,
            BytesWritten = written,
            DurationSeconds = Math.Round(duration.TotalSeconds, 3),
            Verified = verified,
            PassesCompleted = t.PassesCompleted,
            TargetServerId = t.Target?.ServerId,
            Resources = t.Resources.Count,
            Clones = [.. t.Clones.Select(static c => c.ServerId)],
            ErrorCode = t.Error?.Code,
            Error = t.Error?.Message,
        };
    }

    public string ToJson() => JsonSerializer.Serialize(this, TaskJsonContext.Default.TaskJson);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(TaskJson))]
[JsonSerializable(typeof(List<TaskJson>))]
internal sealed partial class TaskJsonContext : JsonSerializerContext;
