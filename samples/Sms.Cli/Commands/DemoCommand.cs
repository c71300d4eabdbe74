using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Sms.Cli.CommandLine;
using Sms.Cli.Output;
using Sms.Discovery;
using Sms.Migration;
using Spectre.Console;

namespace Sms.Cli.Commands;

/// <summary>
/// <c>sms demo</c>: the whole migration on the embedded local cloud, on a disk it makes itself. A partitioned ext4 source
/// image with files, its inventory and checks, a target configured in the local cloud, the full replication, a change
/// and an incremental sync, verification, a clone, the launch (cutover snapshots, OS fix-ups, start), a comparison of
/// every file and the file-system checker on the target, and the deletion of everything the task created.
/// </summary>
internal static class DemoCommand
{
    public const string Usage = "sms demo [--size-mb N] [--keep DIR]";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var a = Arguments.Parse(args, new HashSet<string> { "--size-mb", "--keep" }, new HashSet<string>());
        var sizeMb = a.GetInt("--size-mb", 512);
        var keep = a.Get("--keep");
        var work = keep is null ? Directory.CreateTempSubdirectory("sms-demo-").FullName : Directory.CreateDirectory(keep).FullName;
        try
        {
            return await RunInAsync(work, sizeMb, loggers, cancellationToken);
        }
        finally
        {
            if (keep is null)
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static async Task<int> RunInAsync(string work, int sizeMb, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var rows = new List<(string Step, string Outcome, bool Ok)>();
        void Row(string step, string outcome, bool ok = true)
        {
            rows.Add((step, outcome, ok));
            Console.Error.WriteLine($"sms demo: {step}: {outcome}");
        }

        var image = Path.Combine(work, "source.img");
        var made = await DemoImage.CreateAsync(image, work, sizeMb, cancellationToken);
        Row("source disk", made.Description);
        var inventory = await new SourceInventoryReader().ReadDiskAsync(image, cancellationToken);
        var disk = inventory.Disks[0];
        Row("inventory and checks", $"{Describe(disk)}; valid {Bytes.Format(disk.ValidBytes)} of {Bytes.Format(disk.SizeBytes)}; {inventory.Findings.Count} finding(s)", !inventory.Findings.Any(static f => f.Severity == CheckSeverity.Error));

        await using var home = await SmsHome.OpenAsync(Path.Combine(work, "home"), loggers, cancellationToken);
        var service = home.Service;
        var task = await service.CreateTaskAsync(
            new MigrationTaskSpec
            {
                Name = "demo-web01",
                Disks = [image],
                Server = new SourceServer { Name = "demo-web01", CpuCount = 2, MemoryMiB = 4096, IpAddress = "192.168.10.20", OperatingSystem = "Debian GNU/Linux 12 (demo image)" },
                Settings = new MigrationSettings { ContinuousSync = true, SyncInterval = TimeSpan.FromHours(1) },
            },
            cancellationToken);
        task = await service.ConfigureTargetAsync(task.Id, new TargetSpec(), cancellationToken);
        var server = await home.Cloud.Compute.GetServerAsync(task.Target!.ServerId, cancellationToken);
        Row("target configured", $"new local-cloud server {Short(server.Id)} ({server.FlavorId}, {task.Target.VolumeIds.Count} disk), VPC 192.168.0.0/16, ports 22 and 8900, locked while migrating");

        task = await StepAsync(service, task.Id, static (s, id, ct) => s.StartAsync(id, ct), cancellationToken);
        Row("full replication", Pass(task), task.Error is null);
        var change = await DemoImage.ChangeAsync(image, work, made, cancellationToken);
        Row("change on the source", change);
        task = await StepAsync(service, task.Id, static (s, id, ct) => s.SyncAsync(id, ct), cancellationToken);
        Row("incremental sync", Pass(task), task.Error is null);
        task = await StepAsync(service, task.Id, static (s, id, ct) => s.VerifyAsync(id, ct), cancellationToken);
        Row("verification", task.Disks.All(static d => d.Verified == true) ? "every valid block hashed on both sides: identical" : "MISMATCH", task.Error is null && task.Disks.All(static d => d.Verified == true));
        task = await StepAsync(service, task.Id, static (s, id, ct) => s.CloneAsync(id, ct), cancellationToken);
        Row("clone", task.Clones.Count == 1 ? $"test server {Short(task.Clones[0].ServerId)} from snapshots of the synced disk, sync goes on" : "NO CLONE", task.Error is null && task.Clones.Count == 1);
        task = await StepAsync(service, task.Id, static (s, id, ct) => s.LaunchAsync(id, ct), cancellationToken);
        var launched = await home.Cloud.Compute.GetServerAsync(task.Target!.ServerId, cancellationToken);
        var fixups = await AuditOfAsync(service, task.Id, "fix-ups", cancellationToken);
        Row("launch", $"final sync, {task.Resources.Count(static r => r.Purpose == ResourcePurpose.CutoverSnapshot)} cutover snapshot, fix-ups: {fixups}; target {launched.Status}, {(launched.Locked ? "locked" : "unlocked")}", task.Error is null && task.Stage == MigrationStage.Cutovered);

        var volume = (await home.Cloud.Volumes.GetVolumeAsync(task.Target.VolumeIds[0], cancellationToken)).LocalPath!;
        var same = await DemoImage.SameFilesAsync(image, volume, work, made, cancellationToken);
        Row("target = source", same ? "every file outside /etc identical (debugfs rdump of both, compared); /etc adapted by the fix-ups" : "NO", same);
        if (made.Ext4 && await DemoImage.TryRunAsync("e2fsck", ["-fn", DemoImage.Device(volume, made)], cancellationToken) is { } fsck)
        {
            Row("e2fsck -fn on the target", fsck == 0 ? "clean" : $"exit code {fsck}", fsck == 0);
        }

        var before = await CountAsync(home, cancellationToken);
        var deleted = await service.DeleteAsync(task.Id, deleteCreatedResources: true, cancellationToken);
        var left = await CountAsync(home, cancellationToken);
        Row("cleanup", $"task deleted with the {deleted} resource(s) it created ({before} in the cloud before, {left} left)", left == 0);

        var table = new Table().Border(TableBorder.Rounded).AddColumn("step").AddColumn("what happened");
        foreach (var (step, outcome, ok) in rows)
        {
            table.AddRow(ok ? Markup.Escape(step) : $"[red]{Markup.Escape(step)}[/]", Markup.Escape(outcome));
        }

        table.Caption($"{rows.Count(static r => r.Ok)} of {rows.Count} steps ok in {clock.Elapsed.TotalSeconds:F1} s");
        AnsiConsole.Console.Write(table);
        return rows.TrueForAll(static r => r.Ok) ? 0 : 1;
    }

    private static async Task<MigrationTask> StepAsync(Sms.Workflow.MigrationService service, string id, Func<Sms.Workflow.MigrationService, string, CancellationToken, Task<MigrationTask>> command, CancellationToken cancellationToken)
    {
        await command(service, id, cancellationToken);
        var task = await TaskView.RunAsync(service, id, quiet: false, cancellationToken);
        if (task.Error is { } error)
        {
            Console.Error.WriteLine($"sms demo: {error.Code}: {error.Message}");
        }

        return task;
    }

    private static string Pass(MigrationTask t)
    {
        var d = t.Disks[0];
        return $"{d.Mode}: read {Bytes.Format(d.BytesScanned)} of {Bytes.Format(d.TotalBytes)} valid, {Bytes.Format(d.BytesSent)} on the wire, {Bytes.Format(d.BytesWritten)} written, verified: {(d.Verified == true ? "yes" : "no")}";
    }

    private static string Describe(DiskInventory disk)
    {
        var parts = new List<string> { disk.PartitionTable.Kind.ToString() };
        foreach (var p in disk.PartitionTable.Partitions)
        {
            parts.Add($"partition {p.Number}: {p.FileSystem?.Kind.ToString() ?? "unknown"}{(p.FileSystem?.UsedBytes is { } used ? $" ({Bytes.Format(used)} used)" : string.Empty)}");
        }

        if (disk.FileSystem is { } fs)
        {
            parts.Add($"{fs.Kind} ({Bytes.Format(fs.UsedBytes ?? 0)} used)");
        }

        return string.Join(", ", parts);
    }

    private static async Task<string> AuditOfAsync(Sms.Workflow.MigrationService service, string id, string step, CancellationToken cancellationToken)
    {
        var detail = "-";
        await foreach (var record in service.Store.ListAuditAsync(id, cancellationToken))
        {
            if (record.EventName == step)
            {
                detail = record.Detail;
            }
        }

        return detail;
    }

    private static async Task<int> CountAsync(SmsHome home, CancellationToken cancellationToken)
    {
        var cloud = home.Cloud;
        var count = 0;
        await foreach (var unused in cloud.Compute.ListServersAsync(cancellationToken))
        {
            count++;
        }

        await foreach (var unused in cloud.Volumes.ListVolumesAsync(cancellationToken))
        {
            count++;
        }

        await foreach (var unused in cloud.Volumes.ListSnapshotsAsync(null, cancellationToken))
        {
            count++;
        }

        count += (await cloud.Images.ListImagesAsync(cancellationToken)).Count;
        foreach (var vpc in await cloud.Networks.ListVpcsAsync(cancellationToken))
        {
            count += 1 + (await cloud.Networks.ListSubnetsAsync(vpc.Id, cancellationToken)).Count;
        }

        count += (await cloud.Networks.ListSecurityGroupsAsync(null, cancellationToken)).Count;
        return count;
    }

    private static string Short(string id) => id.Length > 8 ? id[..8] : id;
}
