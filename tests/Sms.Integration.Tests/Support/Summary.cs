using System.Text.Json;

namespace Sms.Integration.Tests.Support;

/// <summary>The <c>--json</c> summary line of <c>sms replicate</c> and <c>sms replicate-files</c>.</summary>
public sealed record Summary(string Mode, long BytesScanned, long BytesSent, long BytesWritten, long BlocksSent, double DurationSeconds, bool? Verified)
{
    /// <summary>Wire bytes per second as Mbit/s (10^6 bits).</summary>
    public double WireMbps => BytesSent * 8 / DurationSeconds / 1e6;

    /// <summary>Replicated (raw) bytes per second as Mbit/s.</summary>
    public double EffectiveMbps => BytesScanned * 8 / DurationSeconds / 1e6;

    public static Summary FromStandardOutput(string stdout)
    {
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(lines);
        var json = JsonDocument.Parse(lines[^1]).RootElement;
        var verified = json.GetProperty("verified");
        return new Summary(
            json.GetProperty("mode").GetString()!,
            json.GetProperty("bytesScanned").GetInt64(),
            json.GetProperty("bytesSent").GetInt64(),
            json.GetProperty("bytesWritten").GetInt64(),
            json.TryGetProperty("blocksSent", out var blocks) ? blocks.GetInt64() : -1,
            json.GetProperty("durationSeconds").GetDouble(),
            verified.ValueKind == JsonValueKind.Null ? null : verified.GetBoolean());
    }
}
