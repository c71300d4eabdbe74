using System.Text.Json;
using Sms.Replication;

namespace Sms.Integration.Tests.Support;

/// <summary>Pairing files: waiting for the receiver's, and writing altered copies (another endpoint, a wrong pin).</summary>
public static class Pairing
{
    public static async Task<ReceiverPairing> WaitAsync(string path, SmsProcess? receiver = null)
    {
        for (var i = 0; i < 300; i++)
        {
            if (File.Exists(path))
            {
                try
                {
                    return await Sms.Transport.PairingFile.ReadAsync(path);
                }
                catch (SmsException)
                {
                    // Being written.
                }
            }

            if (receiver is { HasExited: true })
            {
                throw new InvalidOperationException($"The receiver exited before writing {path}: {receiver.StandardError}");
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No pairing file at {path}");
    }

    public static async Task<string> WriteAsync(string path, ReceiverPairing pairing)
    {
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new { endpoint = pairing.Endpoint, fingerprint = pairing.Fingerprint, token = pairing.Token }));
        return path;
    }
}
