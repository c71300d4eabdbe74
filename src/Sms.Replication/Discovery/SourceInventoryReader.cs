using Sms.Blocks;
using Sms.Discovery.Checks;
using Sms.Discovery.Host;

namespace Sms.Discovery;

/// <summary>Inventories a source: one device or image, or the running host with all its disks, plus the feasibility checks.</summary>
public sealed class SourceInventoryReader
{
    private readonly DiskInspector _inspector;
    private readonly HostInventoryReader _host;

    /// <summary>Creates a reader with the SDK's file-system readers, for the running host.</summary>
    public SourceInventoryReader()
        : this(new DiskInspector(), new HostInventoryReader())
    {
    }

    /// <summary>Creates a reader from its parts.</summary>
    /// <param name="inspector">Reads disks.</param>
    /// <param name="host">Reads the host.</param>
    public SourceInventoryReader(DiskInspector inspector, HostInventoryReader host)
    {
        _inspector = inspector ?? throw new ArgumentNullException(nameof(inspector));
        _host = host ?? throw new ArgumentNullException(nameof(host));
    }

    /// <summary>Inventories one device or image file.</summary>
    /// <param name="path">The path.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The inventory, with the disk checks.</returns>
    /// <exception cref="SmsException">The path cannot be read (<see cref="SmsErrorCode.SourceReadFailed"/>).</exception>
    public async Task<SourceInventory> ReadDiskAsync(string path, CancellationToken cancellationToken = default)
    {
        var source = FileBlockSource.Open(path);
        await using (source.ConfigureAwait(false))
        {
            var (disk, _) = await _inspector.InspectAsync(source, cancellationToken).ConfigureAwait(false);
            return new SourceInventory { Disks = [disk], Findings = FeasibilityChecks.CheckDisks([disk]) };
        }
    }

    /// <summary>Inventories the running host and every whole disk it has (loop, optical and device-mapper devices excluded).</summary>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The inventory, with the host and disk checks; disks that cannot be opened are listed as unreadable.</returns>
    public async Task<SourceInventory> ReadHostAsync(CancellationToken cancellationToken = default)
    {
        var host = await _host.ReadAsync(cancellationToken).ConfigureAwait(false);
        var disks = new List<DiskInventory>();
        var unreadable = new List<string>();
        foreach (var device in host.BlockDevices)
        {
            if (device.Name.StartsWith("loop", StringComparison.Ordinal) || device.Name.StartsWith("sr", StringComparison.Ordinal)
                || device.Name.StartsWith("dm-", StringComparison.Ordinal) || device.Name.StartsWith("zram", StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                var source = FileBlockSource.Open(device.Path);
                await using (source.ConfigureAwait(false))
                {
                    disks.Add((await _inspector.InspectAsync(source, cancellationToken).ConfigureAwait(false)).Inventory);
                }
            }
            catch (SmsException ex)
            {
                unreadable.Add($"{device.Path}: {ex.Message}");
            }
        }

        var findings = new List<CheckFinding>(FeasibilityChecks.CheckHost(host, Directory.Exists(Path.Combine(_host.Root, "tmp"))));
        findings.AddRange(FeasibilityChecks.CheckDisks(disks));
        return new SourceInventory { Host = host, Disks = disks, Findings = findings, Unreadable = unreadable };
    }
}
