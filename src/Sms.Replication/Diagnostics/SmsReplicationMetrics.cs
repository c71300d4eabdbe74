using System.Diagnostics.Metrics;

namespace Sms.Diagnostics;

/// <summary>The instruments of the <c>Sms.Replication</c> meter.</summary>
internal static class SmsReplicationMetrics
{
    public const string MeterName = "Sms.Replication";

    private static readonly Meter Meter = new(MeterName, typeof(SmsReplicationMetrics).Assembly.GetName().Version?.ToString());

    /// <summary>Bytes put on the wire by sources.</summary>
    public static readonly Counter<long> BytesSent = Meter.CreateCounter<long>("sms.replication.bytes.sent", "By", "Bytes sent on the wire by sources.");

    /// <summary>Blocks sent by sources.</summary>
    public static readonly Counter<long> BlocksSent = Meter.CreateCounter<long>("sms.replication.blocks.sent", "{block}", "Blocks sent by sources.");

    /// <summary>Bytes written by receivers.</summary>
    public static readonly Counter<long> BytesWritten = Meter.CreateCounter<long>("sms.replication.bytes.written", "By", "Bytes written (or zeroed) by receivers.");
}
