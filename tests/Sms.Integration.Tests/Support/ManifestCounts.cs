using Sms.Blocks;
using Sms.Manifests;

namespace Sms.Integration.Tests.Support;

/// <summary>
/// What a source's manifest says after a fault, read from the file (the killed process cannot be asked): blocks
/// acknowledged with their hash, unknown (sent, not acknowledged: in flight at the fault) and still zero (never sent).
/// </summary>
public sealed record ManifestCounts(long Acknowledged, long Unknown, long Untouched, int BlockSize)
{
    public static ManifestCounts Read(string stateDirectory, string volume)
    {
        using var manifest = BlockManifest.TryOpen(BlockManifest.PathFor(stateDirectory, volume), out var reason)
            ?? throw new InvalidOperationException($"No usable manifest: {reason}");
        long acknowledged = 0, unknown = 0, untouched = 0;
        foreach (var entry in manifest.Entries)
        {
            if (entry == BlockHash.Unknown)
            {
                unknown++;
            }
            else if (entry == BlockHash.Zero)
            {
                untouched++;
            }
            else
            {
                acknowledged++;
            }
        }

        return new ManifestCounts(acknowledged, unknown, untouched, manifest.BlockSize);
    }

    /// <summary>Acknowledged blocks according to the raw file, readable while the source runs (the file is updated in place).</summary>
    public static int CountAcknowledgedInFile(string stateDirectory, string volume)
    {
        var path = BlockManifest.PathFor(stateDirectory, volume);
        if (!File.Exists(path))
        {
            return 0;
        }

        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        catch (IOException)
        {
            return 0;
        }

        var acknowledged = 0;
        for (var at = 64; at + 16 <= bytes.Length; at += 16)
        {
            var entry = bytes.AsSpan(at, 16);
            if (entry.ContainsAnyExcept((byte)0) && entry.ContainsAnyExcept((byte)0xFF))
            {
                acknowledged++;
            }
        }

        return acknowledged;
    }

    public static async Task WaitForAcknowledgedAsync(string stateDirectory, string volume, int atLeast, SmsProcess source)
    {
        for (var i = 0; i < 3000; i++)
        {
            if (CountAcknowledgedInFile(stateDirectory, volume) >= atLeast)
            {
                return;
            }

            if (source.HasExited)
            {
                throw new InvalidOperationException($"The source ended before {atLeast} blocks were acknowledged: {source.StandardError}");
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"The manifest never showed {atLeast} acknowledged blocks");
    }
}
