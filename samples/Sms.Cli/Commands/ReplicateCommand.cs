using Microsoft.Extensions.Logging;
using Sms.Blocks;
using Sms.Cli.CommandLine;
using Sms.Cli.Output;
using Sms.Discovery;
using Sms.Engine;
using Sms.Replication;
using Sms.Transport;

namespace Sms.Cli.Commands;

/// <summary><c>sms replicate</c>: block-level replication of a device or image into a receiver's volume.</summary>
internal static class ReplicateCommand
{
    public const string Usage = "sms replicate --pairing-file FILE --source PATH --volume NAME [--state-dir DIR] [--full] [--rate-limit MBPS] [--rate-window HH:MM[:SS]-HH:MM[:SS]=MBPS]... [--compression lz4|zstd|none] [--verify] [--json] [--block-size BYTES] [--workers N] [--max-in-flight BLOCKS] [--all-blocks]";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var a = Arguments.Parse(
            args,
            new HashSet<string> { "--pairing-file", "--source", "--volume", "--state-dir", "--rate-limit", "--rate-window", "--compression", "--block-size", "--workers", "--max-in-flight" },
            new HashSet<string> { "--full", "--verify", "--json", "--all-blocks" });
        var json = a.Has("--json");
        var defaults = new ReplicationSettings();
        var settings = defaults with
        {
            ForceFull = a.Has("--full"),
            Verify = a.Has("--verify"),
            RateLimitMbps = a.GetDouble("--rate-limit", 0),
            RateLimitWindows = a.GetRateWindows("--rate-window"),
            Compression = ParseCompression(a.Get("--compression") ?? "lz4"),
            BlockSize = a.GetInt("--block-size", defaults.BlockSize),
            Workers = a.GetInt("--workers", defaults.Workers),
            MaxUnacknowledgedBlocks = a.GetInt("--max-in-flight", defaults.MaxUnacknowledgedBlocks),
        };
        settings = settings with { MaxBuffers = Math.Max(defaults.MaxBuffers, settings.Workers + 2) };
        try
        {
            settings.Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new UsageException(ex.Message.Split(Environment.NewLine)[0]);
        }

        var pairing = await PairingFile.ReadAsync(a.Require("--pairing-file"), cancellationToken);
        // Valid blocks only (file-system allocation maps), unless --all-blocks asks for every data block.
        var sourcePath = a.Require("--source");
        var source = a.Has("--all-blocks")
            ? FileBlockSource.Open(sourcePath)
            : (await new DiskInspector().OpenValidBlocksAsync(sourcePath, cancellationToken)).Source;
        await using (source)
        {
            var printer = ProgressPrinter.CreateIfInteractive(quiet: json);
            var replicator = new BlockReplicator(loggers.CreateLogger<BlockReplicator>());
            ReplicationResult result;
            try
            {
                result = await replicator.ReplicateAsync(source, pairing, a.Require("--volume"), a.Get("--state-dir"), settings, printer, cancellationToken);
            }
            finally
            {
                printer?.Finish();
            }

            if (json)
            {
                Console.Out.WriteLine(JsonSummary.From(result).ToJson());
            }
            else
            {
                Console.Error.WriteLine(Describe(result));
            }

            if (result.Verified == false)
            {
                Console.Error.WriteLine($"sms: {SmsErrorCode.VerificationFailed}: {result.MismatchedOffsets.Count} blocks differ on the target (first at offset {result.MismatchedOffsets[0]}); run again to resend them.");
                return 1;
            }
        }

        return 0;
    }

    private static string Describe(ReplicationResult r)
        => $"sms: {(r.Mode == ReplicationMode.Full ? "full" : "incremental")} pass done in {r.Duration.TotalSeconds:F2} s: "
            + $"scanned {Bytes.Format(r.BytesScanned)} (valid) of a {Bytes.Format(r.SourceBytes)} source, sent {r.BlocksSent} blocks ({Bytes.Format(r.BytesSent)} on the wire, "
            + $"{Bytes.Format(r.BytesWritten)} written), {r.BlocksUnchanged} unchanged"
            + (r.FullReason is null ? string.Empty : $"; full because {r.FullReason}")
            + (r.Verified is null ? string.Empty : r.Verified.Value ? "; verified" : "; VERIFICATION FAILED");

    private static CompressionKind ParseCompression(string text) => text switch
    {
        "lz4" => CompressionKind.Lz4,
        "zstd" => CompressionKind.Zstd,
        "none" => CompressionKind.None,
        _ => throw new UsageException($"--compression must be lz4, zstd or none, not '{text}'."),
    };
}
