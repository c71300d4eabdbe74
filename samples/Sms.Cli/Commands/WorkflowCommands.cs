using System.Globalization;
using Microsoft.Extensions.Logging;
using Sms.Cli.CommandLine;
using Sms.Cli.Output;
using Sms.Discovery;
using Sms.Migration;

namespace Sms.Cli.Commands;

/// <summary>
/// The workflow commands on the persistent task store (<see cref="SmsHome"/>): <c>migrate</c> creates, configures and
/// starts a task and runs it until it rests; <c>sync</c>, <c>launch</c>, <c>clone</c>, <c>verify</c> and <c>resume</c>
/// give their command and run the work; <c>pause</c> only asks (the process running the task stops it);
/// <c>status</c>, <c>set-limits</c>, <c>cleanup</c>, <c>delete-target</c> and <c>delete</c> act at once. Every one
/// takes <c>--home DIR</c> and <c>--json</c>.
/// </summary>
internal static class WorkflowCommands
{
    public const string MigrateUsage = "sms migrate --source IMG [--source IMG]... | --source-dir DIR [--name N] [--template T] [--server-template T] [--existing-server ID] [--no-continuous] [--interval 1h|2d] [--no-start-target] [--rate-limit MBPS] [--rate-window HH:MM-HH:MM=MBPS]... [--cpu-percent N] [--memory-mib N] [--cpus N] [--memory-mb N] [--firmware bios|uefi] [--ip ADDR] [--home DIR] [--json]";
    public const string TaskUsage = "sms sync|launch|clone|verify|resume|pause|status|cleanup ID [--home DIR] [--json];  sms status [--home DIR] [--json];  sms delete-target|delete ID [--delete-resources];  sms set-limits ID [--rate-limit MBPS] [--rate-window ...]... [--cpu-percent N] [--memory-mib N]";

    private static readonly string[] Common = ["--home"];

    public static async Task<int> MigrateAsync(IReadOnlyList<string> args, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var a = Arguments.Parse(
            args,
            new HashSet<string>([.. Common, .. LimitOptions.Names, "--source", "--source-dir", "--name", "--template", "--server-template", "--existing-server", "--interval", "--cpus", "--memory-mb", "--firmware", "--ip"]),
            new HashSet<string> { "--no-continuous", "--no-start-target", "--json" });
        var disks = a.GetAll("--source");
        var directory = a.Get("--source-dir");
        if ((disks.Count == 0) == (directory is null))
        {
            throw new UsageException("Give the source disks (--source, repeatable) or a directory (--source-dir), not both.");
        }

        var started = Stopwatch();
        await using var home = await SmsHome.OpenAsync(a.Get("--home"), loggers, cancellationToken);
        var service = home.Service;
        var template = a.Get("--template");
        var settings = template is null ? new MigrationSettings() : null;
        if (settings is not null)
        {
            settings = settings with
            {
                ContinuousSync = !a.Has("--no-continuous"),
                StartTargetOnLaunch = !a.Has("--no-start-target"),
                SyncInterval = a.Get("--interval") is { } interval ? Interval(interval) : null,
                Limits = LimitOptions.Read(a),
            };
        }

        MigrationTask task;
        try
        {
            task = await service.CreateTaskAsync(
                new MigrationTaskSpec
                {
                    Name = a.Get("--name"),
                    Kind = directory is null ? MigrationKind.Block : MigrationKind.File,
                    Disks = disks,
                    RootDirectory = directory,
                    Server = SourceServerOf(a),
                    MigrationTemplate = template,
                    Settings = settings,
                },
                cancellationToken);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }

        Say(a, $"task {task.Id} created ({task.Kind.ToString().ToLowerInvariant()} level, {task.Findings.Count} check finding(s))");
        task = await service.ConfigureTargetAsync(task.Id, new TargetSpec { ExistingServerId = a.Get("--existing-server"), ServerTemplate = a.Get("--server-template") }, cancellationToken);
        Say(a, $"target server {task.Target!.ServerId} configured");
        await service.StartAsync(task.Id, cancellationToken);
        return await RunAndReportAsync(home, task.Id, a.Has("--json"), started, cancellationToken);
    }

    public static async Task<int> TaskCommandAsync(string verb, IReadOnlyList<string> args, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var a = Arguments.Parse(
            Positional(args, out var id, required: verb != "status"),
            new HashSet<string>([.. Common, .. LimitOptions.Names]),
            new HashSet<string> { "--json", "--delete-resources" });
        var json = a.Has("--json");
        var started = Stopwatch();
        await using var home = await SmsHome.OpenAsync(a.Get("--home"), loggers, cancellationToken);
        var service = home.Service;
        switch (verb)
        {
            case "status" when id is null:
                var all = new List<TaskJson>();
                await foreach (var t in service.ListAsync(cancellationToken))
                {
                    all.Add(TaskJson.From(t, TimeSpan.Zero));
                    if (!json)
                    {
                        Console.Error.WriteLine($"  {t.Id}  {t.Name,-16} {t.Kind.ToString().ToLowerInvariant(),-6} {t.Stage.ToString().ToLowerInvariant()}/{t.State.ToString().ToLowerInvariant()}{(t.Error is { } e ? "  " + e.Code : string.Empty)}");
                    }
                }

                if (json)
                {
                    Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(all, TaskJsonContext.Default.ListTaskJson));
                }

                return 0;
            case "status":
                return Report(await service.GetAsync(id!, cancellationToken), json, started, detailed: true);
            case "sync":
                await service.SyncAsync(id!, cancellationToken);
                break;
            case "launch":
                await service.LaunchAsync(id!, cancellationToken);
                break;
            case "clone":
                await service.CloneAsync(id!, cancellationToken);
                break;
            case "verify":
                await service.VerifyAsync(id!, cancellationToken);
                break;
            case "resume":
                var current = await service.GetAsync(id!, cancellationToken);
                if (current.State is not (MigrationState.Running or MigrationState.Cloning))
                {
                    await service.StartAsync(id!, cancellationToken);
                }

                break;
            case "pause":
                return Report(await service.PauseAsync(id!, cancellationToken), json, started, detailed: false);
            case "set-limits":
                var task = await service.GetAsync(id!, cancellationToken);
                return Report(await service.SetLimitsAsync(id!, LimitOptions.Read(a, task.Settings.Limits), cancellationToken), json, started, detailed: false);
            case "cleanup":
                return Report(await service.CleanupAsync(id!, cancellationToken), json, started, detailed: false);
            case "delete-target":
                return Report(await service.DeleteTargetAsync(id!, a.Has("--delete-resources"), cancellationToken), json, started, detailed: false);
            case "delete":
                var deleted = await service.DeleteAsync(id!, a.Has("--delete-resources"), cancellationToken);
                Say(a, $"task {id} deleted with {deleted} cloud resource(s)");
                if (json)
                {
                    Console.Out.WriteLine($$"""{"id":"{{id}}","deleted":true,"resourcesDeleted":{{deleted}}}""");
                }

                return 0;
            default:
                throw new UsageException($"Unknown command '{verb}'. Try 'sms --help'.");
        }

        return await RunAndReportAsync(home, id!, json, started, cancellationToken);
    }

    private static async Task<int> RunAndReportAsync(SmsHome home, string id, bool json, System.Diagnostics.Stopwatch started, CancellationToken cancellationToken)
    {
        var task = await TaskView.RunAsync(home.Service, id, json, cancellationToken);
        return Report(task, json, started, detailed: !json);
    }

    private static int Report(MigrationTask task, bool json, System.Diagnostics.Stopwatch started, bool detailed)
    {
        if (json)
        {
            Console.Out.WriteLine(TaskJson.From(task, started.Elapsed).ToJson());
        }
        else if (detailed)
        {
            TaskView.PrintTask(task);
        }
        else
        {
            Console.Error.WriteLine($"sms: task {task.Id} is {task.Stage.ToString().ToLowerInvariant()}/{task.State.ToString().ToLowerInvariant()}{(task.PauseRequested ? " (pause asked: the process running it stops it)" : string.Empty)}");
        }

        if (task.Error is { } error)
        {
            Console.Error.WriteLine($"sms: {error.Code}: {error.Message}{(error.Transient ? " (transient: 'sms resume' retries it)" : string.Empty)}");
            return 1;
        }

        return 0;
    }

    private static SourceServer? SourceServerOf(Arguments a)
    {
        if (a.Get("--cpus") is null && a.Get("--memory-mb") is null && a.Get("--firmware") is null && a.Get("--ip") is null)
        {
            return null; // this host (the agent runs on the source)
        }

        return new SourceServer
        {
            Name = a.Get("--name") ?? Environment.MachineName,
            CpuCount = a.GetInt("--cpus", 1),
            MemoryMiB = a.GetInt("--memory-mb", 1024),
            Firmware = a.Get("--firmware") switch
            {
                null or "bios" => FirmwareType.Bios,
                "uefi" => FirmwareType.Uefi,
                var other => throw new UsageException($"--firmware is bios or uefi, not '{other}'."),
            },
            IpAddress = a.Get("--ip"),
        };
    }

    internal static TimeSpan Interval(string text)
    {
        if (text.Length > 1 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            return text[^1] switch
            {
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                'm' => TimeSpan.FromMinutes(n),
                _ => throw new UsageException($"--interval takes a number with h, d or m, not '{text}'."),
            };
        }

        throw new UsageException($"--interval takes a number with h, d or m (1h to 7d), not '{text}'.");
    }

    private static IReadOnlyList<string> Positional(IReadOnlyList<string> args, out string? id, bool required)
    {
        if (args.Count > 0 && !args[0].StartsWith("--", StringComparison.Ordinal))
        {
            id = args[0];
            return [.. args.Skip(1)];
        }

        id = required ? throw new UsageException("Name the task: sms COMMAND TASK-ID.") : null;
        return args;
    }

    private static void Say(Arguments a, string line)
    {
        if (!a.Has("--json"))
        {
            Console.Error.WriteLine($"sms: {line}");
        }
    }

    private static System.Diagnostics.Stopwatch Stopwatch() => System.Diagnostics.Stopwatch.StartNew();
}
