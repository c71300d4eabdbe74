using System.ComponentModel;
using System.Diagnostics;

namespace Sms.Fixups;

/// <summary>What a tool printed and how it exited.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="StandardOutput">Standard output, as bytes.</param>
/// <param name="StandardError">Standard error, as text.</param>
internal readonly record struct ToolOutput(int ExitCode, byte[] StandardOutput, string StandardError);

/// <summary>Runs an external tool: an argument list (never a shell string), a C locale, a timeout, and its standard error kept.</summary>
internal static class ExternalTool
{
    private static readonly string[] SystemDirectories = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

    /// <summary>Finds a tool: the configured path, else on PATH, else in the system directories (often not on PATH).</summary>
    /// <param name="name">The tool's file name.</param>
    /// <param name="configured">A configured path, or <see langword="null"/>.</param>
    /// <returns>The executable, or <see langword="null"/> when it is not installed.</returns>
    public static string? Find(string name, string? configured)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured) ? configured : null;
        }

        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var directory in path.Concat(SystemDirectories))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Runs a tool to its end.</summary>
    /// <param name="executable">The executable.</param>
    /// <param name="arguments">The arguments.</param>
    /// <param name="timeout">How long it may run before it is killed.</param>
    /// <param name="cancellationToken">Cancels (kills) it.</param>
    /// <returns>Its exit code and output.</returns>
    /// <exception cref="SmsException">It cannot be started (<see cref="SmsErrorCode.ToolNotFound"/>) or timed out (<see cref="SmsErrorCode.TargetConfigurationFailed"/>).</exception>
    public static async Task<ToolOutput> RunAsync(string executable, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.Environment["LC_ALL"] = "C";
        info.Environment["PAGER"] = "__none__";
        info.Environment["DEBUGFS_PAGER"] = "__none__";
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new SmsException(SmsErrorCode.ToolNotFound, $"'{executable}' could not be started.");
        }
        catch (Win32Exception ex)
        {
            throw new SmsException(SmsErrorCode.ToolNotFound, $"'{executable}' could not be started: {ex.Message}.", ex);
        }

        using (process)
        using (var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            process.StandardInput.Close();
            limit.CancelAfter(timeout);
            var output = new MemoryStream();
            var outputDone = process.StandardOutput.BaseStream.CopyToAsync(output, limit.Token);
            var errors = process.StandardError.ReadToEndAsync(limit.Token);
            try
            {
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
                await outputDone.ConfigureAwait(false);
                return new ToolOutput(process.ExitCode, output.ToArray(), await errors.ConfigureAwait(false));
            }
            catch (OperationCanceledException)
            {
                Kill(process);
                await Task.WhenAll(outputDone, errors).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                cancellationToken.ThrowIfCancellationRequested();
                throw new SmsException(SmsErrorCode.TargetConfigurationFailed, $"'{Path.GetFileName(executable)} {string.Join(' ', arguments)}' did not finish within {timeout.TotalSeconds:0.#} s and was killed.");
            }
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It ended meanwhile.
        }
    }
}
