namespace Sms.Integration.Tests.Links;

/// <summary>
/// Samples a link while a source runs in it: the shaper's byte count (whole packets, as the link is charged) and
/// the source device's byte count (TLS records with few headers: veth counts offloaded super-packets), every 50 ms.
/// The rates it reports are over the transfer itself, from its first bytes to its last, without the process's start-up.
/// </summary>
public sealed class LinkSampler
{
    // A sample whose two counters were read further apart than this is dropped: its time would be vague.
    private static readonly TimeSpan MaxSampleSkew = TimeSpan.FromMilliseconds(30);
    private readonly List<Sample> _samples = [];

    public IReadOnlyList<Sample> Samples => _samples;

    public static async Task<LinkSampler> RunAsync(LinkedNamespaces link, Support.SmsProcess source)
    {
        var sampler = new LinkSampler();
        long? shapedOrigin = null, deviceOrigin = null;
        while (!source.HasExited)
        {
            try
            {
                var before = DateTime.Now;
                var device = link.SourceTransmittedBytes(source.Id);
                var shaped = link.ShapedBytes(); // runs tc: a few milliseconds, more when the machine is busy
                var after = DateTime.Now;
                if (after - before <= MaxSampleSkew)
                {
                    shapedOrigin ??= shaped;
                    deviceOrigin ??= device;
                    sampler._samples.Add(new Sample(before + ((after - before) / 2), shaped - shapedOrigin.Value, device - deviceOrigin.Value));
                }
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                // Not in the namespace yet (ip netns exec), or gone.
            }

            await Task.Delay(50);
        }

        return sampler;
    }

    /// <summary>The transfer: from the first sample past 256 KiB to the first one within 64 KiB of the end.</summary>
    public (Sample First, Sample Last) Transfer
    {
        get
        {
            Assert.True(_samples.Count >= 2, "too few samples of the link");
            var total = _samples[^1].DeviceBytes;
            var first = _samples.First(s => s.DeviceBytes > 256 * 1024);
            var last = _samples.First(s => s.DeviceBytes >= total - (64 * 1024));
            Assert.True(last.Time > first.Time, "the transfer was too short to sample");
            return (first, last);
        }
    }

    /// <summary>Mbit/s the shaper carried during the transfer.</summary>
    public double ShapedMbps
    {
        get
        {
            var (first, last) = Transfer;
            return (last.ShapedBytes - first.ShapedBytes) * 8 / (last.Time - first.Time).TotalSeconds / 1e6;
        }
    }

    /// <summary>Mbit/s the source device sent during the transfer.</summary>
    public double DeviceMbps
    {
        get
        {
            var (first, last) = Transfer;
            return (last.DeviceBytes - first.DeviceBytes) * 8 / (last.Time - first.Time).TotalSeconds / 1e6;
        }
    }

    /// <summary>
    /// The shaper's rate over each half second of the transfer, e.g. "199 200 187 12 200": where a run that fell short
    /// left the link idle (a stall of the source, of the receiver, or of the machine).
    /// </summary>
    public string ShapedProfile
    {
        get
        {
            var (first, last) = Transfer;
            var parts = new List<string>();
            var from = first;
            foreach (var sample in _samples)
            {
                if (sample.Time <= from.Time || sample.Time > last.Time)
                {
                    continue;
                }

                var seconds = (sample.Time - from.Time).TotalSeconds;
                if (seconds >= 0.5 || sample == last)
                {
                    parts.Add(((sample.ShapedBytes - from.ShapedBytes) * 8 / seconds / 1e6).ToString("F0", System.Globalization.CultureInfo.InvariantCulture));
                    from = sample;
                }
            }

            return string.Join(' ', parts);
        }
    }

    /// <summary>Mbit/s the source device sent between two times.</summary>
    public double DeviceMbpsBetween(DateTime from, DateTime to)
    {
        var first = _samples.First(s => s.Time >= from);
        var last = _samples.Last(s => s.Time <= to);
        Assert.True(last.Time > first.Time, $"no samples between {from:HH:mm:ss.fff} and {to:HH:mm:ss.fff}");
        return (last.DeviceBytes - first.DeviceBytes) * 8 / (last.Time - first.Time).TotalSeconds / 1e6;
    }

    public readonly record struct Sample(DateTime Time, long ShapedBytes, long DeviceBytes);
}
