using System.Globalization;
using Sms.Migration;
using Spectre.Console;

namespace Sms.Cli.Output;

/// <summary>
/// Shows a task's work while it runs: Spectre.Console progress bars per disk on standard error when it is a
/// terminal, else one line per step; nothing with <c>--json</c>.
/// </summary>
internal static class TaskView
{
    private static readonly IAnsiConsole Error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    public static async Task<MigrationTask> RunAsync(Sms.Workflow.MigrationService service, string taskId, bool quiet, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (quiet)
        {
            return await service.RunAsync(taskId, cancellationToken);
        }

        if (Console.IsErrorRedirected)
        {
            var lines = LinesAsync(service, taskId, stop.Token);
            try
            {
                return await service.RunAsync(taskId, cancellationToken);
            }
            finally
            {
                await stop.CancelAsync();
                await Swallow(lines);
            }
        }

        MigrationTask? result = null;
        await Error.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var bars = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                var watching = BarsAsync(service, taskId, progress, bars, stop.Token);
                try
                {
                    result = await service.RunAsync(taskId, cancellationToken);
                }
                finally
                {
                    await stop.CancelAsync();
                    await Swallow(watching);
                    foreach (var bar in bars.Values)
                    {
                        bar.Value = bar.MaxValue;
                        bar.StopTask();
                    }
                }
            });
        return result!;
    }

    public static void PrintTask(MigrationTask t)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("field", "value");
        table.AddRow("task", Markup.Escape($"{t.Id} ({t.Name}, {t.Kind.ToString().ToLowerInvariant()} level)"));
        table.AddRow("stage / state", Markup.Escape($"{t.Stage} / {t.State}{(t.Step is null ? string.Empty : " · " + t.Step)}{(t.PauseRequested ? " (pause asked)" : string.Empty)}"));
        table.AddRow("source", Markup.Escape(t.Kind == MigrationKind.Block ? string.Join(", ", t.Source.Disks) : t.Source.RootDirectory ?? "-"));
        table.AddRow("target", Markup.Escape(t.Target is { } target ? $"{target.Provider} server {target.ServerId}, {target.VolumeIds.Count} volume(s){(target.CreatedByTask ? ", created by the task" : string.Empty)}" : "not configured"));
        table.AddRow("passes", Markup.Escape($"{t.PassesCompleted}, last {t.LastPassAt?.ToString("u", CultureInfo.InvariantCulture) ?? "never"}, next sync {t.NextSyncAt?.ToString("u", CultureInfo.InvariantCulture) ?? "on demand"}"));
        foreach (var d in t.Disks)
        {
            table.AddRow($"disk {d.Index}", Markup.Escape($"{d.Mode ?? "-"}: scanned {Bytes.Format(d.BytesScanned)} of {Bytes.Format(d.TotalBytes)}, sent {Bytes.Format(d.BytesSent)}, written {Bytes.Format(d.BytesWritten)}{(d.Verified is { } v ? v ? ", verified" : ", NOT verified" : string.Empty)}"));
        }

        table.AddRow("resources", Markup.Escape(t.Resources.Count == 0 ? "none" : string.Join(", ", t.Resources.Select(static r => $"{r.Kind.ToString().ToLowerInvariant()} ({r.Purpose.ToString().ToLowerInvariant()})"))));
        table.AddRow("clones", Markup.Escape(t.Clones.Count == 0 ? "none" : string.Join(", ", t.Clones.Select(static c => $"{c.Name} ({c.ServerId})"))));
        if (t.Error is { } error)
        {
            table.AddRow("[red]error[/]", Markup.Escape($"{error.Code}: {error.Message}{(error.Transient ? " (transient: resume to retry)" : string.Empty)}"));
        }

        foreach (var finding in t.Findings)
        {
            table.AddRow(finding.Severity == Sms.Discovery.CheckSeverity.Error ? "[red]check[/]" : "[yellow]check[/]", Markup.Escape($"{finding.Code}: {finding.Message}"));
        }

        Error.Write(table);
    }

    private static async Task BarsAsync(Sms.Workflow.MigrationService service, string taskId, ProgressContext progress, Dictionary<string, ProgressTask> bars, CancellationToken cancellationToken)
    {
        await foreach (var e in service.WatchAsync(taskId, cancellationToken))
        {
            if (e.Kind == MigrationEventKind.Progress && e.Disk is { } disk)
            {
                var key = $"{e.Task.Step}/{disk.Index}";
                if (!bars.TryGetValue(key, out var bar))
                {
                    bars[key] = bar = progress.AddTask(Markup.Escape($"{e.Task.Step ?? "pass"} · disk {disk.Index}"), maxValue: Math.Max(1, disk.TotalBytes));
                }

                bar.MaxValue = Math.Max(1, disk.TotalBytes);
                bar.Value = Math.Min(disk.BytesScanned, bar.MaxValue);
            }
            else if (e.Kind is MigrationEventKind.StepCompleted or MigrationEventKind.Failed)
            {
                Error.MarkupLine($"  {(e.Kind == MigrationEventKind.Failed ? "[red]✗[/]" : "[green]✓[/]")} {Markup.Escape(e.Message)}");
            }
        }
    }

    private static async Task LinesAsync(Sms.Workflow.MigrationService service, string taskId, CancellationToken cancellationToken)
    {
        await foreach (var e in service.WatchAsync(taskId, cancellationToken))
        {
            if (e.Kind is MigrationEventKind.StepCompleted or MigrationEventKind.Failed)
            {
                await Console.Error.WriteLineAsync($"sms: {e.Message}");
            }
        }
    }

    private static async Task Swallow(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
