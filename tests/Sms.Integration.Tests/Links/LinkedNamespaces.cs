using System.Globalization;

using Sms.Integration.Tests.Support;

namespace Sms.Integration.Tests.Links;

/// <summary>
/// Two network namespaces made by the test and joined by a veth pair: the receiver's and the source's. The source's
/// end is shaped with <c>tc</c>: netem delay and loss where the kernel has netem, then a tbf rate. Everything stays
/// on this machine, in namespaces deleted with the object.
/// </summary>
public sealed class LinkedNamespaces : IDisposable
{
    private static int _counter;

    private LinkedNamespaces(string receiver, string source, string sourceDevice, int subnet, string shaping)
    {
        Receiver = receiver;
        Source = source;
        SourceDevice = sourceDevice;
        ReceiverAddress = $"10.251.{subnet}.1";
        Shaping = shaping;
    }

    /// <summary>The receiver's namespace.</summary>
    public string Receiver { get; }

    /// <summary>The source's namespace.</summary>
    public string Source { get; }

    /// <summary>The source's end of the veth pair (where the shaping is).</summary>
    public string SourceDevice { get; }

    public string ReceiverAddress { get; }

    /// <summary>What the link does, for the test output (for example <c>tbf rate 200mbit (no netem in this kernel)</c>).</summary>
    public string Shaping { get; }

    /// <summary>
    /// Makes the pair, or returns why it cannot (not root, no <c>ip netns</c>, no tbf). <paramref name="delayMs"/> and
    /// <paramref name="lossPercent"/> need netem; without it the link is shaped by rate only, and <see cref="Shaping"/> says so.
    /// </summary>
    public static LinkedNamespaces? TryCreate(double rateMbit, int delayMs, double lossPercent, out string? whyNot)
    {
        whyNot = null;
        if (!Host.IsRoot)
        {
            whyNot = "not root: network namespaces need CAP_SYS_ADMIN";
            return null;
        }

        var n = Interlocked.Increment(ref _counter);
        var tag = string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId % 100000}x{n}");
        var receiver = $"sms-{tag}-r";
        var source = $"sms-{tag}-s";
        var rdev = $"smr{tag}";
        var sdev = $"sms{tag}";
        var subnet = (Environment.ProcessId + n) % 250;
        var (code, output) = Host.Run("ip", "netns", "add", receiver);
        if (code != 0)
        {
            whyNot = $"'ip netns add' failed: {output.Trim()}";
            return null;
        }

        var link = new LinkedNamespaces(receiver, source, sdev, subnet, string.Empty);
        try
        {
            Host.MustRun("ip", "netns", "add", source);
            Host.MustRun("ip", "link", "add", rdev, "netns", receiver, "type", "veth", "peer", "name", sdev, "netns", source);
            Host.MustRun("ip", "-n", receiver, "addr", "add", $"10.251.{subnet}.1/30", "dev", rdev);
            Host.MustRun("ip", "-n", source, "addr", "add", $"10.251.{subnet}.2/30", "dev", sdev);
            foreach (var (ns, dev) in new[] { (receiver, rdev), (source, sdev) })
            {
                Host.MustRun("ip", "-n", ns, "link", "set", dev, "up");
                Host.MustRun("ip", "-n", ns, "link", "set", "lo", "up");
            }

            var rate = string.Create(CultureInfo.InvariantCulture, $"{rateMbit}mbit");
            string[] tbf = ["tbf", "rate", rate, "burst", "128kb", "latency", "50ms"];
            var netem = Host.Run("tc", ["-n", source, "qdisc", "add", "dev", sdev, "root", "handle", "1:", "netem", "delay", $"{delayMs}ms", "loss", string.Create(CultureInfo.InvariantCulture, $"{lossPercent}%")]);
            string shaping;
            if (netem.ExitCode == 0)
            {
                Host.MustRun("tc", ["-n", source, "qdisc", "add", "dev", sdev, "parent", "1:1", "handle", "10:", .. tbf]);
                shaping = $"netem delay {delayMs}ms loss {lossPercent}% + tbf rate {rate}";
            }
            else
            {
                Host.MustRun("tc", ["-n", source, "qdisc", "add", "dev", sdev, "root", .. tbf]);
                shaping = $"tbf rate {rate} (no netem: '{netem.Output.Trim()}', so no delay or loss)";
            }

            var made = new LinkedNamespaces(receiver, source, sdev, subnet, shaping);
            link = made;
            return made;
        }
        catch (InvalidOperationException ex)
        {
            link.Dispose();
            whyNot = ex.Message;
            return null;
        }
    }

    /// <summary>Bytes sent on the source's end, from <c>/proc/PID/net/dev</c> of a process inside the source namespace.</summary>
    public long SourceTransmittedBytes(int sourcePid)
    {
        foreach (var line in File.ReadLines($"/proc/{sourcePid}/net/dev"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim() == SourceDevice)
            {
                var fields = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(fields[8], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"{SourceDevice} is not in the namespace of process {sourcePid}");
    }

    /// <summary>
    /// Bytes the shaper let through, as it counts them against its rate: every packet whole, with its Ethernet, IP and
    /// TCP headers (from <c>tc -s qdisc</c>). This is the link's own measure of how busy it was.
    /// </summary>
    public long ShapedBytes()
    {
        var lines = Host.MustRun("tc", "-n", Source, "-s", "qdisc", "show", "dev", SourceDevice).Split('\n');
        for (var i = 0; i + 1 < lines.Length; i++)
        {
            if (lines[i].StartsWith("qdisc tbf", StringComparison.Ordinal))
            {
                var sent = lines[i + 1].Trim().Split(' ');
                return long.Parse(sent[1], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"No tbf qdisc on {SourceDevice}");
    }

    public void Dispose()
    {
        Host.Run("ip", "netns", "del", Source);
        Host.Run("ip", "netns", "del", Receiver);
    }
}
