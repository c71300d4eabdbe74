using System.Globalization;

namespace Sms.Integration.Tests.Support;

/// <summary>Reads a process's memory from <c>/proc/PID/status</c>: VmHWM (peak resident set) and VmRSS.</summary>
public static class ProcessMemory
{
    public static long? PeakResidentBytes(int pid) => Read(pid, "VmHWM:");

    public static long? ResidentBytes(int pid) => Read(pid, "VmRSS:");

    /// <summary>Samples VmHWM until the process exits; the peak resident set is monotonic, so the last sample is the peak up to then.</summary>
    public static async Task<long> TrackPeakAsync(SmsProcess process, CancellationToken cancellationToken = default)
    {
        long peak = 0;
        while (!process.HasExited && !cancellationToken.IsCancellationRequested)
        {
            if (PeakResidentBytes(process.Id) is { } hwm)
            {
                peak = Math.Max(peak, hwm);
            }

            await Task.Delay(10, CancellationToken.None);
        }

        return peak;
    }

    private static long? Read(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    var kb = line[field.Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The process is gone.
        }

        return null;
    }
}
