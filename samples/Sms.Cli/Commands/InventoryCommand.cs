using System.Globalization;
using Sms.Cli.CommandLine;
using Sms.Cli.Output;
using Sms.Discovery;

namespace Sms.Cli.Commands;

/// <summary><c>sms inventory</c>: what a device, image or the running host holds, and whether it can be migrated.</summary>
internal static class InventoryCommand
{
    public const string Usage = "sms inventory --source PATH|--host [--json]";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var a = Arguments.Parse(args, new HashSet<string> { "--source" }, new HashSet<string> { "--host", "--json" });
        var source = a.Get("--source");
        if ((source is null) == !a.Has("--host"))
        {
            throw new UsageException("Give either --source PATH or --host.");
        }

        var reader = new SourceInventoryReader();
        var inventory = source is null ? await reader.ReadHostAsync(cancellationToken) : await reader.ReadDiskAsync(source, cancellationToken);
        if (a.Has("--json"))
        {
            Console.Out.WriteLine(InventoryJson.Serialize(inventory));
        }
        else
        {
            Print(inventory);
        }

        foreach (var finding in inventory.Findings)
        {
            Console.Error.WriteLine($"sms: {(finding.Severity == CheckSeverity.Error ? "error" : "warning")} {finding.Code}: {finding.Message} Fix: {finding.Fix}");
        }

        return inventory.Findings.Any(f => f.Severity == CheckSeverity.Error) ? 1 : 0;
    }

    private static void Print(SourceInventory inventory)
    {
        if (inventory.Host is { } host)
        {
            Console.Out.WriteLine($"host {host.HostName}: {host.OperatingSystem}, kernel {host.Kernel}, {host.Architecture}, {host.Firmware}, {host.CpuCount} CPUs, {Bytes.Format(host.MemoryBytes)} memory");
            foreach (var nic in host.NetworkInterfaces)
            {
                Console.Out.WriteLine($"  nic {nic.Name} {nic.MacAddress} {string.Join(' ', nic.Addresses)}");
            }

            foreach (var mount in host.Mounts.Where(m => !m.IsPseudo))
            {
                Console.Out.WriteLine($"  mount {mount.MountPoint} {mount.FileSystemType} on {mount.Source}: {Bytes.Format(mount.TotalBytes)}, {Bytes.Format(mount.FreeBytes)} free{(mount.IsBindOrRepeated ? " (bind or repeated)" : string.Empty)}");
            }

            foreach (var group in host.VolumeGroups)
            {
                Console.Out.WriteLine($"  volume group {group.Name}: {Bytes.Format(group.SizeBytes)} on {string.Join(", ", group.PhysicalVolumes)}");
            }
        }

        foreach (var disk in inventory.Disks)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"disk {disk.Path}: {Bytes.Format(disk.SizeBytes)}, {disk.SectorSize}-byte sectors, {disk.PartitionTable.Kind} table{(disk.PartitionTable.DiskId is null ? string.Empty : " " + disk.PartitionTable.DiskId)}; valid {Bytes.Format(disk.ValidBytes)} of {Bytes.Format(disk.DataBytes)} data"));
            if (disk.FileSystem is { } whole)
            {
                Console.Out.WriteLine($"  whole disk: {Describe(whole)}");
            }

            foreach (var p in disk.PartitionTable.Partitions)
            {
                var kind = p.IsExtendedContainer ? "extended" : p.FileSystem is null ? "?" : Describe(p.FileSystem);
                Console.Out.WriteLine($"  {p.Number,3}  start {p.Start,14}  {Bytes.Format(p.Length),10}  type {p.Type}{(p.Name is null ? string.Empty : $" \"{p.Name}\"")}  {kind}");
            }

            foreach (var warning in disk.PartitionTable.Warnings)
            {
                Console.Out.WriteLine($"  warning: {warning}");
            }

            foreach (var line in disk.ValidBlockSources)
            {
                Console.Out.WriteLine($"  valid blocks: {line}");
            }
        }

        foreach (var line in inventory.Unreadable)
        {
            Console.Out.WriteLine($"unreadable {line}");
        }
    }

    private static string Describe(FileSystemDescription fs)
        => $"{fs.Kind}{(fs.Label is { Length: > 0 } label ? $" \"{label}\"" : string.Empty)}{(fs.Uuid is null ? string.Empty : " " + fs.Uuid)}"
            + $", {Bytes.Format(fs.TotalBytes)}{(fs.UsedBytes is { } used ? $", {Bytes.Format(used)} used" : string.Empty)}{(fs.Note is null ? string.Empty : $" ({fs.Note})")}";
}
