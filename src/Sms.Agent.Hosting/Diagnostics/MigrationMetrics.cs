using System.Diagnostics.Metrics;

namespace Sms.Diagnostics;

/// <summary>The workflow's meter, <c>Sms.Agent.Hosting</c>.</summary>
internal sealed class MigrationMetrics : IDisposable
{
    public const string MeterName = "Sms.Agent.Hosting";
    private readonly Meter _meter;

    public MigrationMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName, typeof(MigrationMetrics).Assembly.GetName().Version?.ToString());
        Commands = _meter.CreateCounter<long>("sms.migration.commands", description: "Commands accepted, by command.");
        Passes = _meter.CreateCounter<long>("sms.migration.passes", description: "Replication passes completed, by mode.");
        BytesSent = _meter.CreateCounter<long>("sms.migration.bytes.sent", unit: "By", description: "Bytes sent on the wire by completed passes.");
        BytesWritten = _meter.CreateCounter<long>("sms.migration.bytes.written", unit: "By", description: "Bytes written on targets by completed passes.");
        Failures = _meter.CreateCounter<long>("sms.migration.failures", description: "Steps that failed, by step.");
        StepDuration = _meter.CreateHistogram<double>("sms.migration.step.duration", unit: "s", description: "How long each workflow step took.");
    }

    public Counter<long> Commands { get; }

    public Counter<long> Passes { get; }

    public Counter<long> BytesSent { get; }

    public Counter<long> BytesWritten { get; }

    public Counter<long> Failures { get; }

    public Histogram<double> StepDuration { get; }

    public void Dispose() => _meter.Dispose();
}
