using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Sms.Cli.CommandLine;
using Sms.Cli.Output;
using Sms.Files;
using Sms.Replication;
using Sms.Transport;

namespace Sms.Cli.Commands;

/// <summary><c>sms replicate-files</c>: file-level replication of a directory tree into a receiver's files root.</summary>
internal static class ReplicateFilesCommand
{
    public const string Usage = "sms replicate-files --pairing-file FILE --source DIR --dest NAME [--state-dir DIR] [--exclude PATTERN]... [--rate-limit MBPS] [--rate-window HH:MM[:SS]-HH:MM[:SS]=MBPS]... [--verify] [--json]";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var a = Arguments.Parse(
            args,
            new HashSet<string> { "--pairing-file", "--source", "--dest", "--state-dir", "--exclude", "--rate-limit", "--rate-window" },
            new HashSet<string> { "--verify", "--json" });
        var json = a.Has("--json");
        var excludes = a.GetAll("--exclude");
        var settings = new FileReplicationSettings
        {
            ExcludeFromFullCopy = excludes,
            ExcludeFromSync = excludes,
            Verify = a.Has("--verify") ? FileVerifyMode.Full : FileVerifyMode.None,
            RateLimitMbps = a.GetDouble("--rate-limit", 0),
            RateLimitWindows = a.GetRateWindows("--rate-window"),
        };
        try
        {
            settings.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message.Split(Environment.NewLine)[0]);
        }

        var pairing = await PairingFile.ReadAsync(a.Require("--pairing-file"), cancellationToken);
        var source = a.Require("--source");
        var dest = a.Require("--dest");
        var printer = ProgressPrinter.CreateIfInteractive(quiet: json);
        FileReplicationResult result;
        try
        {
            result = await new FileReplicator(loggers.CreateLogger<FileReplicator>()).ReplicateAsync(source, pairing, dest, a.Get("--state-dir"), settings, printer, cancellationToken);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }
        finally
        {
            printer?.Finish();
        }

        if (json)
        {
            Console.Out.WriteLine(FilesSummary.From(result).ToJson());
        }
        else
        {
            Console.Error.WriteLine(Describe(result));
        }

        if (result.Verified == false)
        {
            var v = result.Verification!;
            Console.Error.WriteLine($"sms: {SmsErrorCode.VerificationFailed}: {v.Inconsistent.Count} inconsistent, {v.MissingAtTarget.Count} missing at target, {v.RedundantAtTarget.Count} redundant at target; run again to repair them.");
            return 1;
        }

        return 0;
    }

    private static string Describe(FileReplicationResult r)
        => $"sms: {(r.Mode == ReplicationMode.Full ? "full" : "incremental")} file pass done in {r.Duration.TotalSeconds:F2} s: "
            + $"{r.EntriesScanned} entries, {r.FilesSent} files sent, {r.EntriesCreated} other entries created, {r.MetadataOnly} metadata-only, {r.Deleted} deleted, {r.Unchanged} unchanged; "
            + $"read {Bytes.Format(r.BytesScanned)}, {Bytes.Format(r.BytesSent)} on the wire, {Bytes.Format(r.BytesWritten)} written"
            + (r.ChangedDuringRead > 0 ? $"; {r.ChangedDuringRead} changed while read" : string.Empty)
            + (r.FullReason is null ? string.Empty : $"; full because {r.FullReason}")
            + (r.Verified is null ? string.Empty : r.Verified.Value ? "; verified" : "; VERIFICATION FAILED");

    /// <summary>The <c>--json</c> line of <c>replicate-files</c>.</summary>
    internal sealed record FilesSummary
    {
        public required string Mode { get; init; }

        public required long BytesScanned { get; init; }

        public required long BytesSent { get; init; }

        public required long BytesWritten { get; init; }

        public required double DurationSeconds { get; init; }

        public bool? Verified { get; init; }

        public required long EntriesScanned { get; init; }

        public required long EntriesExcluded { get; init; }

        public required long FilesSent { get; init; }

        public required long EntriesCreated { get; init; }

        public required long MetadataOnly { get; init; }

        public required long Deleted { get; init; }

        public required long Unchanged { get; init; }

        public required long ChangedDuringRead { get; init; }

        public IReadOnlyList<string> Inconsistent { get; init; } = [];

        public IReadOnlyList<string> MissingAtTarget { get; init; } = [];

        public IReadOnlyList<string> RedundantAtTarget { get; init; } = [];

        public string? FullReason { get; init; }

        public static FilesSummary From(FileReplicationResult r) => new()
        {
            Mode = r.Mode == ReplicationMode.Full ? "full" : "incremental",
            BytesScanned = r.BytesScanned,
            BytesSent = r.BytesSent,
            BytesWritten = r.BytesWritten,
            DurationSeconds = Math.Round(r.Duration.TotalSeconds, 3),
            Verified = r.Verified,
            EntriesScanned = r.EntriesScanned,
            EntriesExcluded = r.EntriesExcluded,
            FilesSent = r.FilesSent,
            EntriesCreated = r.EntriesCreated,
            MetadataOnly = r.MetadataOnly,
            Deleted = r.Deleted,
            Unchanged = r.Unchanged,
            ChangedDuringRead = r.ChangedDuringRead,
            Inconsistent = Cap(r.Verification?.Inconsistent),
            MissingAtTarget = Cap(r.Verification?.MissingAtTarget),
            RedundantAtTarget = Cap(r.Verification?.RedundantAtTarget),
            FullReason = r.FullReason,
        };

        public string ToJson() => JsonSerializer.Serialize(this, FilesJsonContext.Default.FilesSummary);

        // The report can list millions of paths; the summary line shows the first thousand of each kind.
        private static IReadOnlyList<string> Cap(IReadOnlyList<string>? paths)
            => paths is null ? [] : paths.Count <= 1000 ? paths : [.. paths.Take(1000)];
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ReplicateFilesCommand.FilesSummary))]
internal sealed partial class FilesJsonContext : JsonSerializerContext;
