using Microsoft.Extensions.Logging;
using Sms.Cli.CommandLine;
using Sms.Migration;

namespace Sms.Cli.Commands;

/// <summary><c>sms templates</c>: the migration and server templates of the task store (the seeds' Configurations page).</summary>
internal static class TemplatesCommand
{
    public const string Usage = "sms templates list | add-migration NAME [--default] [--file-level] [--no-continuous] [--interval 1h] [--rate-limit MBPS] [--rate-window ...]... | add-server NAME [--zone Z] [--vpc ID] [--subnet ID] [--security-group ID] [--flavor ID] [--volume-type T] | delete NAME  [--home DIR] [--json]";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (args.Count == 0)
        {
            throw new UsageException(Usage);
        }

        var verb = args[0];
        var name = verb is "add-migration" or "add-server" or "delete"
            ? args.Count > 1 && !args[1].StartsWith("--", StringComparison.Ordinal) ? args[1] : throw new UsageException($"sms templates {verb} NAME")
            : null;
        var a = Arguments.Parse(
            [.. args.Skip(name is null ? 1 : 2)],
            new HashSet<string>([.. LimitOptions.Names, "--home", "--interval", "--zone", "--vpc", "--subnet", "--security-group", "--flavor", "--volume-type"]),
            new HashSet<string> { "--json", "--default", "--file-level", "--no-continuous" });
        await using var home = await SmsHome.OpenAsync(a.Get("--home"), loggers, cancellationToken);
        var store = home.Service.Store;
        switch (verb)
        {
            case "list":
                var migration = await store.ListMigrationTemplatesAsync(cancellationToken);
                var server = await store.ListServerTemplatesAsync(cancellationToken);
                if (a.Has("--json"))
                {
                    Console.Out.WriteLine($$"""{"migration":[{{string.Join(",", migration.Select(static t => $"\"{t.Name}\""))}}],"server":[{{string.Join(",", server.Select(static t => $"\"{t.Name}\""))}}]}""");
                }

                foreach (var t in migration)
                {
                    Console.Error.WriteLine($"  migration  {t.Name}{(t.IsDefault ? " (default)" : string.Empty)}: {t.Kind.ToString().ToLowerInvariant()} level, continuous sync {(t.Settings.ContinuousSync ? "yes" : "no")}, rate limit {t.Settings.Limits.RateLimitMbps} Mbit/s");
                }

                foreach (var t in server)
                {
                    Console.Error.WriteLine($"  server     {t.Name}: {t.Provider}, zone {t.AvailabilityZone ?? "-"}, flavor {t.FlavorId ?? "fit to the source"}");
                }

                return 0;
            case "add-migration":
                var settings = new MigrationSettings
                {
                    ContinuousSync = !a.Has("--no-continuous"),
                    SyncInterval = a.Get("--interval") is { } interval ? WorkflowCommands.Interval(interval) : null,
                    Limits = LimitOptions.Read(a),
                };
                try
                {
                    settings.Validate();
                }
                catch (ArgumentException ex)
                {
                    throw new UsageException(ex.Message.Split(Environment.NewLine)[0]);
                }

                await store.SaveMigrationTemplateAsync(new MigrationTemplate { Name = name!, Kind = a.Has("--file-level") ? MigrationKind.File : MigrationKind.Block, Settings = settings, IsDefault = a.Has("--default") }, cancellationToken);
                await store.AppendAuditAsync(new AuditRecord(DateTimeOffset.UtcNow, null, "addTemplate", "normal", $"migration template '{name}'"), cancellationToken);
                Console.Error.WriteLine($"sms: migration template '{name}' saved");
                return 0;
            case "add-server":
                await store.SaveServerTemplateAsync(
                    new ServerTemplate { Name = name!, AvailabilityZone = a.Get("--zone"), VpcId = a.Get("--vpc"), SubnetId = a.Get("--subnet"), SecurityGroupId = a.Get("--security-group"), FlavorId = a.Get("--flavor"), VolumeType = a.Get("--volume-type") },
                    cancellationToken);
                await store.AppendAuditAsync(new AuditRecord(DateTimeOffset.UtcNow, null, "addTemplate", "normal", $"server template '{name}'"), cancellationToken);
                Console.Error.WriteLine($"sms: server template '{name}' saved");
                return 0;
            case "delete":
                if (!await store.DeleteTemplateAsync(name!, cancellationToken))
                {
                    throw new SmsException(SmsErrorCode.ResourceNotFound, $"There is no template '{name}'.");
                }

                await store.AppendAuditAsync(new AuditRecord(DateTimeOffset.UtcNow, null, "deleteTemplate", "normal", $"template '{name}'"), cancellationToken);
                Console.Error.WriteLine($"sms: template '{name}' deleted");
                return 0;
            default:
                throw new UsageException(Usage);
        }
    }
}
