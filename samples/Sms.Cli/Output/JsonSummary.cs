using System.Text.Json;
using System.Text.Json.Serialization;
using Sms.Replication;

namespace Sms.Cli.Output;

/// <summary>The <c>--json</c> summary line: the stable contract scripts and benchmarks read.</summary>
internal sealed record JsonSummary
{
    public required string Mode { get; init; }

    public required long SourceBytes { get; init; }

    public required long ValidBytes { get; init; }

    public required long BytesScanned { get; init; }

    public required long BytesSent { get; init; }

    public required long BytesWritten { get; init; }

    public required long BlocksSent { get; init; }

    public required long BlocksUnchanged { get; init; }

    public required double DurationSeconds { get; init; }

    public bool? Verified { get; init; }

    public IReadOnlyList<long> MismatchedOffsets { get; init; } = [];

    public string? FullReason { get; init; }

    public static JsonSummary From(ReplicationResult result) => new()
    {
        Mode = result.Mode == ReplicationMode.Full ? "full" : "incremental",
        SourceBytes = result.SourceBytes,
        ValidBytes = result.ValidBytes,
        BytesScanned = result.BytesScanned,
        BytesSent = result.BytesSent,
        BytesWritten = result.BytesWritten,
        BlocksSent = result.BlocksSent,
        BlocksUnchanged = result.BlocksUnchanged,
        DurationSeconds = Math.Round(result.Duration.TotalSeconds, 3),
        Verified = result.Verified,
        MismatchedOffsets = result.MismatchedOffsets,
        FullReason = result.FullReason,
    };

    public string ToJson() => JsonSerializer.Serialize(this, CliJsonContext.Default.JsonSummary);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(JsonSummary))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
