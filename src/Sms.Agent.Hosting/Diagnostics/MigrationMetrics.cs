using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Sms.Migration;

namespace Sms.Diagnostics;

/// <summary>The workflow's meter, <c>Sms.Agent.Hosting</c>.</summary>
internal sealed class MigrationMetrics : IDisposable
{
    public const string MeterName = "Sms.Agent.Hosting";
    private readonly Meter _meter;
    private readonly ConcurrentDictionary<(string Task, int Disk), DiskProgress> _live = new();

    public MigrationMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName, typeof(MigrationMetrics).Assembly.GetName().Version?.ToString());
        Commands = _meter.CreateCounter<long>("sms.migration.commands", description: "Commands accepted, by command.");
        Passes = _meter.CreateCounter<long>("sms.migration.passes", description: "Replication passes completed, by mode.");
        BytesSent = _meter.CreateCounter<long>("sms.migration.bytes.sent", unit: "By", description: "Bytes sent on the wire by completed passes.");
        BytesWritten = _meter.CreateCounter<long>("sms.migration.bytes.written", unit: "By", description: "Bytes written on targets by completed passes.");
        Failures = _meter.CreateCounter<long>("sms.migration.failures", description: "Steps that failed, by step.");
        StepDuration = _meter.CreateHistogram<double>("sms.migration.step.duration", unit: "s", description: "How long each workflow step took.");
        _meter.CreateObservableGauge("sms.migration.disk.rate", () => Observe(static p => p.BytesPerSecond), unit: "By/s", description: "Read rate of each running disk pass over the last 5 seconds.");
        _meter.CreateObservableGauge("sms.migration.disk.remaining", () => Observe(static p => Math.Max(0, p.TotalBytes - p.BytesScanned)), unit: "By", description: "Bytes each running disk pass has left to read.");
    }

    /// <summary>Records the latest progress of a running disk pass (what the gauges report).</summary>
    public void Running(string taskId, DiskProgress progress) => _live[(taskId, progress.Index)] = progress;

    /// <summary>Forgets a disk pass that ended.</summary>
    public void Ended(string taskId, int disk) => _live.TryRemove((taskId, disk), out _);

    public Counter<long> Commands { get; }

    public Counter<long> Passes { get; }

    public Counter<long> BytesSent { get; }

    public Counter<long> BytesWritten { get; }

    public Counter<long> Failures { get; }

    public Histogram<double> StepDuration { get; }

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<double>> Observe(Func<DiskProgress, double> value)
    {
        foreach (var ((task, disk), progress) in _live)
        {
            yield return new Measurement<double>(value(progress), new KeyValuePair<string, object?>("task", task), new KeyValuePair<string, object?>("disk", disk));
        }
    }
}
