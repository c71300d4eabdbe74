using System.Diagnostics;

namespace Sms.Cloud.Local.Files;

/// <summary>Converts image files with <c>qemu-img</c>, when it is installed.</summary>
internal static class QemuImg
{
    /// <summary>Finds <c>qemu-img</c>: the configured path, or the first on PATH.</summary>
    /// <param name="configuredPath">An explicit path, or <see langword="null"/>.</param>
    /// <returns>The executable, or <see langword="null"/> when not installed.</returns>
    public static string? Find(string? configuredPath)
    {
        if (!string.IsNullOrEmpty(configuredPath))
        {
            return File.Exists(configuredPath) ? configuredPath : null;
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, "qemu-img");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Runs <c>qemu-img convert -f FROM -O TO source destination</c>.</summary>
    /// <param name="executable">The qemu-img path.</param>
    /// <param name="fromFormat">raw or qcow2.</param>
    /// <param name="toFormat">raw or qcow2.</param>
    /// <param name="source">The input.</param>
    /// <param name="destination">The output.</param>
    /// <param name="cancellationToken">Cancels (kills) the conversion.</param>
    /// <returns>A task.</returns>
    /// <exception cref="IOException">qemu-img failed; its standard error is in the message.</exception>
    public static async Task ConvertAsync(string executable, string fromFormat, string toFormat, string source, string destination, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "convert", "-f", fromFormat, "-O", toFormat, source, destination })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new IOException($"Cannot start '{executable}'.");
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await output.ConfigureAwait(false);
        var message = (await errors.ConfigureAwait(false)).Trim();
        if (process.ExitCode != 0)
        {
            throw new IOException($"qemu-img convert to {toFormat} failed (exit code {process.ExitCode}): {message}");
        }
    }
}
