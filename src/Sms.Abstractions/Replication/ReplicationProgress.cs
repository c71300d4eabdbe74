namespace Sms.Replication;

/// <summary>A snapshot of a running pass.</summary>
/// <param name="TotalBytes">The bytes the pass has to scan (the valid bytes of the source).</param>
/// <param name="BytesScanned">The bytes read and hashed so far.</param>
/// <param name="BytesSent">The bytes put on the wire so far (frames, after compression).</param>
/// <param name="BytesWritten">The bytes the target acknowledged as written so far (uncompressed).</param>
/// <param name="BytesPerSecond">The scan rate over the last 5 seconds, as the seeds compute it.</param>
/// <param name="Elapsed">The time since the pass started.</param>
public readonly record struct ReplicationProgress(
    long TotalBytes,
    long BytesScanned,
    long BytesSent,
    long BytesWritten,
    double BytesPerSecond,
    TimeSpan Elapsed)
{
    /// <summary>The estimated time to finish: remaining bytes divided by the recent rate.</summary>
    /// <value><see langword="null"/> while the rate is zero.</value>
    public TimeSpan? EstimatedRemaining => BytesPerSecond > 0
        ? TimeSpan.FromSeconds(Math.Max(0, TotalBytes - BytesScanned) / BytesPerSecond)
        : null;

    /// <summary>The fraction scanned, from 0 to 1.</summary>
    /// <value>1 when there is nothing to scan.</value>
    public double Fraction => TotalBytes <= 0 ? 1 : Math.Min(1, (double)BytesScanned / TotalBytes);
}
