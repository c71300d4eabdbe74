using System.Globalization;
using Sms.Replication;

namespace Sms.Cli.Output;

/// <summary>A one-line progress display on standard error, redrawn in place, only when standard error is a terminal.</summary>
internal sealed class ProgressPrinter : IProgress<ReplicationProgress>
{
    private readonly object _gate = new();
    private bool _drawn;

    public static ProgressPrinter? CreateIfInteractive(bool quiet) => quiet || Console.IsErrorRedirected ? null : new ProgressPrinter();

    public void Report(ReplicationProgress value)
    {
        var eta = value.EstimatedRemaining is { } remaining ? remaining.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "--:--:--";
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"\r{value.Fraction,6:P1}  scanned {Bytes.Format(value.BytesScanned)} of {Bytes.Format(value.TotalBytes)}  sent {Bytes.Format(value.BytesSent)}  written {Bytes.Format(value.BytesWritten)}  {Bytes.Format((long)value.BytesPerSecond)}/s  ETA {eta}   ");
        lock (_gate)
        {
            Console.Error.Write(line);
            _drawn = true;
        }
    }

    public void Finish()
    {
        lock (_gate)
        {
            if (_drawn)
            {
                Console.Error.WriteLine();
                _drawn = false;
            }
        }
    }
}

internal static class Bytes
{
    public static string Format(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {units[unit]}");
    }
}
