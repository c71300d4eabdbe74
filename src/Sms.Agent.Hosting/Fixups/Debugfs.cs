using System.Globalization;
using System.Text;

namespace Sms.Fixups;

/// <summary>
/// Runs e2fsprogs' <c>debugfs</c> on an ext2/3/4 file system inside an image file (<c>image?offset=N</c>): one
/// request with <c>-R</c>, or a script of requests with <c>-f</c>. debugfs exits 0 even when a request fails, so
/// anything on its standard error other than its banner is a failure.
/// </summary>
internal sealed class Debugfs
{
    /// <summary>The longest request line debugfs reads from a script (its buffer is BUFSIZ, 8192 bytes).</summary>
    private const int MaxLineBytes = 8000;

    private readonly string? _configuredPath;
    private readonly TimeSpan _timeout;
    private string? _executable;

    /// <summary>Prepares requests on a file system at a byte offset of an image.</summary>
    /// <param name="imagePath">The image.</param>
    /// <param name="offset">The file system's first byte.</param>
    /// <param name="configuredPath">debugfs's path, or <see langword="null"/> to look for it.</param>
    /// <param name="timeout">How long one run may take.</param>
    public Debugfs(string imagePath, long offset, string? configuredPath, TimeSpan timeout)
    {
        ImagePath = imagePath;
        Offset = offset;
        _configuredPath = configuredPath;
        _timeout = timeout;
    }

    /// <summary>The image.</summary>
    public string ImagePath { get; }

    /// <summary>The file system's first byte in the image.</summary>
    public long Offset { get; }

    /// <summary>The image as debugfs opens it.</summary>
    public string ImageSpec => Offset == 0 ? ImagePath : ImagePath + "?offset=" + Offset.ToString(CultureInfo.InvariantCulture);

    /// <summary>Quotes a path or name for a debugfs request: in double quotes, a quote doubled.</summary>
    /// <param name="value">The path or name.</param>
    /// <param name="forPath">The target path it belongs to, for the error.</param>
    /// <returns>The quoted text.</returns>
    /// <exception cref="SmsException">It holds what no debugfs request can express: a line break, a NUL, or a byte that is not UTF-8 (<see cref="SmsErrorCode.InvalidName"/>).</exception>
    public static string Quote(string value, string forPath)
    {
        if (value.AsSpan().IndexOfAny('\n', '\r', '\0') >= 0)
        {
            throw TargetPath.Refused(forPath, "holds a line break or NUL, which debugfs requests cannot express");
        }

        if (value.Contains('\uFFFD', StringComparison.Ordinal))
        {
            throw TargetPath.Refused(forPath, "holds a name that is not UTF-8, which cannot be given back to debugfs as it is");
        }

        return "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>Runs one request with the file system opened read-only.</summary>
    /// <param name="request">The request.</param>
    /// <param name="what">The target path concerned, for errors.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>Standard output.</returns>
    public async Task<byte[]> RequestAsync(string request, string what, CancellationToken cancellationToken)
    {
        var output = await RunAsync(["-R", request, ImageSpec], what, cancellationToken).ConfigureAwait(false);
        return output;
    }

    /// <summary>Runs one request with the file system opened read-write.</summary>
    /// <param name="request">The request.</param>
    /// <param name="what">The target path concerned, for errors.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>Standard output.</returns>
    public Task<byte[]> RequestWritableAsync(string request, string what, CancellationToken cancellationToken)
        => RunAsync(["-w", "-R", request, ImageSpec], what, cancellationToken);

    /// <summary>Runs requests in order, in one run with the file system opened read-write.</summary>
    /// <param name="requests">The requests.</param>
    /// <param name="what">The target path concerned, for errors.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>A task.</returns>
    public async Task RunScriptAsync(IReadOnlyList<string> requests, string what, CancellationToken cancellationToken)
    {
        foreach (var request in requests)
        {
            if (Encoding.UTF8.GetByteCount(request) > MaxLineBytes)
            {
                throw TargetPath.Refused(what, "is too long for a debugfs request");
            }
        }

        var script = Path.Combine(Path.GetTempPath(), $"sms-debugfs-{Guid.NewGuid():N}.txt");
        try
        {
                        var stream = new FileStream(script, UnixFiles.CreateNewPrivate());
            await using (stream.ConfigureAwait(false))
            {
                var text = new UTF8Encoding(false).GetBytes(string.Join('\n', requests) + "\n");
                await stream.WriteAsync(text, cancellationToken).ConfigureAwait(false);
            }

            await RunAsync(["-w", "-f", script, ImageSpec], what, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private async Task<byte[]> RunAsync(string[] arguments, string what, CancellationToken cancellationToken)
    {
        _executable ??= ExternalTool.Find("debugfs", _configuredPath) ?? throw new SmsException(
            SmsErrorCode.ToolNotFound,
            _configuredPath is null
                ? "debugfs is not installed (looked on PATH and in /usr/sbin, /sbin): install e2fsprogs (apt-get install e2fsprogs, dnf install e2fsprogs) to adapt ext2/3/4 targets."
                : $"debugfs was configured at '{_configuredPath}', which does not exist: install e2fsprogs or fix the path.");
        var output = await ExternalTool.RunAsync(_executable, arguments, _timeout, cancellationToken).ConfigureAwait(false);
        var errors = Errors(output.StandardError);
        if (output.ExitCode != 0 || errors.Length > 0)
        {
            var request = arguments[^2] is var r && arguments[^3] == "-f" ? "a script" : $"'{r}'";
            throw new SmsException(
                SmsErrorCode.TargetConfigurationFailed,
                $"debugfs failed on '{what}' in {ImageSpec} ({request}, exit code {output.ExitCode}): {(errors.Length > 0 ? errors : "no message")}");
        }

        return output.StandardOutput;
    }

    /// <summary>Standard error without debugfs's banner ("debugfs 1.47.0 (5-Feb-2023)", the library version).</summary>
    private static string Errors(string standardError)
    {
        var lines = standardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(static line => !(line.StartsWith("debugfs ", StringComparison.Ordinal) && line.EndsWith(')') && char.IsAsciiDigit(line[8]))
                && !line.StartsWith("Using EXT2FS Library", StringComparison.Ordinal));
        return string.Join("; ", lines);
    }
}
