using System.Diagnostics;

namespace Sms.Integration.Tests.Support;

/// <summary>What this machine allows (root, namespaces, tmpfs, device mapper), and running its tools.</summary>
public static class Host
{
    public static bool IsRoot => Environment.UserName == "root" || GetUid() == 0;

    /// <summary>Runs a tool; returns its exit code and output.</summary>
    public static (int ExitCode, string Output) Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(60_000))
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"{file} timed out");
            }

            return (process.ExitCode, stdout.Result + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, $"{file}: {ex.Message}");
        }
    }

    /// <summary>Runs a tool that must succeed.</summary>
    public static string MustRun(string file, params string[] arguments)
    {
        var (code, output) = Run(file, arguments);
        return code == 0 ? output : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({code}): {output}");
    }

    private static uint GetUid()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                return uint.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return uint.MaxValue;
    }
}
