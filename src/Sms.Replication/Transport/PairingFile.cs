using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sms.Replication;

namespace Sms.Transport;

/// <summary>Reads and writes the pairing file: JSON with <c>endpoint</c>, <c>fingerprint</c> and <c>token</c>.</summary>
public static partial class PairingFile
{
    /// <summary>Creates a fresh random bearer token (256 bits, URL-safe base64).</summary>
    /// <returns>The token.</returns>
    public static string NewToken()
        => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Writes the pairing atomically (temporary file, then rename), readable by the owner only.</summary>
    /// <param name="path">The file.</param>
    /// <param name="pairing">The pairing.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    public static async Task WriteAsync(string path, ReceiverPairing pairing, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(pairing);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";

        // A temporary file left by a crash keeps its old mode if reopened: start from a new one, owner-only.
        File.Delete(temp);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var stream = new FileStream(temp, options);
        await using (stream.ConfigureAwait(false))
        {
            await JsonSerializer.SerializeAsync(stream, pairing, PairingJsonContext.Default.ReceiverPairing, cancellationToken).ConfigureAwait(false);
        }

        File.Move(temp, full, overwrite: true);
    }

    /// <summary>Reads a pairing file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The pairing.</returns>
    /// <exception cref="SmsException">The file is missing or malformed (<see cref="SmsErrorCode.InvalidState"/>).</exception>
    public static async Task<ReceiverPairing> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            var stream = File.OpenRead(path);
            await using (stream.ConfigureAwait(false))
            {
                var pairing = await JsonSerializer.DeserializeAsync(stream, PairingJsonContext.Default.ReceiverPairing, cancellationToken).ConfigureAwait(false);
                if (pairing is null || string.IsNullOrEmpty(pairing.Endpoint) || string.IsNullOrEmpty(pairing.Fingerprint) || string.IsNullOrEmpty(pairing.Token))
                {
                    throw new SmsException(SmsErrorCode.InvalidState, $"Pairing file '{path}' lacks endpoint, fingerprint or token.");
                }

                return pairing;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new SmsException(SmsErrorCode.InvalidState, $"Cannot read pairing file '{path}': {ex.Message}", ex);
        }
    }

    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
    [JsonSerializable(typeof(ReceiverPairing))]
    private sealed partial class PairingJsonContext : JsonSerializerContext;
}
