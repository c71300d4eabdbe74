using System.Text;
using Sms.Fixups.Rewriters;

namespace Sms.Fixups;

/// <summary>
/// Makes the target's network interfaces come up with DHCP in the new cloud, where their MAC addresses and subnet
/// differ: the udev rules that name interfaces after the source's MAC addresses go (<c>70-persistent-net.rules</c>
/// deleted, such lines elsewhere commented out), netplan files bound to MAC addresses or with static addresses are
/// replaced by a DHCP configuration, RHEL and SUSE <c>ifcfg-*</c> files lose <c>HWADDR</c>/<c>MACADDR</c>/<c>UUID</c>
/// and their static addresses and get <c>BOOTPROTO=dhcp</c>, and Debian's static <c>iface</c> stanzas become DHCP.
/// Every file changed or deleted is backed up first (see the README for where).
/// </summary>
/// <remarks>
/// A <c>75-persistent-net-generator.rules</c> (or <c>80-net-setup-link.rules</c>) in <c>/etc/udev/rules.d</c> is kept:
/// such a file, usually a link to /dev/null, stops udev from writing new MAC-bound names (or keeps the kernel's eth0
/// names that the interface files use); deleting it would bring the binding back.
/// </remarks>
public sealed class NetworkToDhcp : ITargetFixup
{
    /// <summary>The step's name.</summary>
    public const string StepName = "network-dhcp";

    private const string UdevRules = "/etc/udev/rules.d";
    private const string PersistentNet = "/etc/udev/rules.d/70-persistent-net.rules";
    private const string Netplan = "/etc/netplan";
    private const string RedHatScripts = "/etc/sysconfig/network-scripts";
    private const string SuseScripts = "/etc/sysconfig/network";
    private const string RedHatNetwork = "/etc/sysconfig/network";
    private const string Interfaces = "/etc/network/interfaces";
    private const string InterfacesDirectory = "/etc/network/interfaces.d";

    private static readonly string[] KeptUdevFiles = ["75-persistent-net-generator.rules", "80-net-setup-link.rules"];
    private static readonly string[] IgnoredSuffixes = ["~", ".bak", ".old", ".orig", ".rpmnew", ".rpmorig", ".rpmsave", FixupBackups.Suffix];

    /// <inheritdoc />
    public string Name => StepName;

    /// <inheritdoc />
    public async Task<FixupResult> ApplyAsync(FixupContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await UdevAsync(context, cancellationToken).ConfigureAwait(false);
        await NetplanAsync(context, cancellationToken).ConfigureAwait(false);
        var wasStatic = await IfcfgAsync(context, RedHatScripts, cancellationToken).ConfigureAwait(false);
        wasStatic |= await IfcfgAsync(context, SuseScripts, cancellationToken).ConfigureAwait(false);
        if (wasStatic)
        {
            await GlobalGatewayAsync(context, cancellationToken).ConfigureAwait(false);
        }

        await InterfacesAsync(context, cancellationToken).ConfigureAwait(false);
        return context.ToResult(Name);
    }

    private static async Task UdevAsync(FixupContext context, CancellationToken cancellationToken)
    {
        var root = context.Root;
        if (!await root.IsDirectoryAsync(UdevRules, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        foreach (var entry in await root.ListDirectoryAsync(UdevRules, cancellationToken).ConfigureAwait(false))
        {
            var path = TargetPath.Combine(UdevRules, entry.Name);
            if (KeptUdevFiles.Contains(entry.Name, StringComparer.Ordinal))
            {
                context.RecordSkip(path, "kept: it stops udev from binding interface names to MAC addresses (or keeps the names the configuration uses)");
                continue;
            }

            if (!entry.Name.EndsWith(".rules", StringComparison.Ordinal) || entry.Kind != TargetEntryKind.File)
            {
                continue;
            }

            var original = await root.ReadFileAsync(path, cancellationToken).ConfigureAwait(false);
            if (path == PersistentNet)
            {
                await FixupBackups.BackUpAsync(root, path, original, entry, context, string.Empty, cancellationToken).ConfigureAwait(false);
                await root.DeleteFileAsync(path, cancellationToken).ConfigureAwait(false);
                context.RecordChange(path, FixupAction.Deleted, "interface names bound to the source's MAC addresses; udev writes new ones at boot");
                continue;
            }

            var text = Encoding.Latin1.GetString(original);
            var rewritten = UdevRulesRewriter.DisableMacBoundNames(text, out var disabled);
            if (disabled.Count == 0)
            {
                continue;
            }

            await FixupBackups.BackUpAsync(root, path, original, entry, context, string.Empty, cancellationToken).ConfigureAwait(false);
            await root.WriteTextAsync(path, rewritten, null, cancellationToken).ConfigureAwait(false);
            foreach (var line in disabled)
            {
                context.RecordChange(path, FixupAction.Modified, $"commented out '{line}' (bound to the source's MAC address)");
            }
        }
    }

    private static async Task NetplanAsync(FixupContext context, CancellationToken cancellationToken)
    {
        var root = context.Root;
        if (!await root.IsDirectoryAsync(Netplan, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        foreach (var entry in await root.ListDirectoryAsync(Netplan, cancellationToken).ConfigureAwait(false))
        {
            if (!entry.Name.EndsWith(".yaml", StringComparison.Ordinal) || entry.Kind is not (TargetEntryKind.File or TargetEntryKind.Symlink))
            {
                continue;
            }

            var path = TargetPath.Combine(Netplan, entry.Name);
            var original = await root.ReadFileAsync(path, cancellationToken).ConfigureAwait(false);
            var (backup, _) = FixupBackups.PathFor(path);
            var decision = NetplanRewriter.Rewrite(Encoding.Latin1.GetString(original), backup);
            if (decision.Text is null)
            {
                context.RecordSkip(path, decision.Reason);
                continue;
            }

            await FixupBackups.BackUpAsync(root, path, original, entry, context, string.Empty, cancellationToken).ConfigureAwait(false);
            await root.WriteTextAsync(path, decision.Text, null, cancellationToken).ConfigureAwait(false);
            context.RecordChange(path, FixupAction.Modified, $"DHCP on every Ethernet interface, instead of: {decision.Reason}");
        }
    }

    private static async Task<bool> IfcfgAsync(FixupContext context, string directory, CancellationToken cancellationToken)
    {
        var root = context.Root;
        if (!await root.IsDirectoryAsync(directory, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var wasStatic = false;
        foreach (var entry in await root.ListDirectoryAsync(directory, cancellationToken).ConfigureAwait(false))
        {
            if (!entry.Name.StartsWith("ifcfg-", StringComparison.Ordinal) || entry.Kind != TargetEntryKind.File
                || IgnoredSuffixes.Any(s => entry.Name.EndsWith(s, StringComparison.Ordinal)))
            {
                continue;
            }

            var path = TargetPath.Combine(directory, entry.Name);
            var original = await root.ReadFileAsync(path, cancellationToken).ConfigureAwait(false);
            var decision = IfcfgRewriter.Rewrite(Encoding.Latin1.GetString(original));
            if (decision.Text is null)
            {
                if (decision.Reason != "the loopback interface")
                {
                    context.RecordSkip(path, decision.Reason!);
                }

                continue;
            }

            await FixupBackups.BackUpAsync(root, path, original, entry, context, string.Empty, cancellationToken).ConfigureAwait(false);
            await root.WriteTextAsync(path, decision.Text, null, cancellationToken).ConfigureAwait(false);
            context.RecordChange(path, FixupAction.Modified, string.Join("; ", decision.Changes));
            wasStatic |= decision.WasStatic;
        }

        return wasStatic;
    }

    private static async Task GlobalGatewayAsync(FixupContext context, CancellationToken cancellationToken)
    {
        var root = context.Root;
        if (await root.GetEntryAsync(RedHatNetwork, cancellationToken).ConfigureAwait(false) is not { Kind: TargetEntryKind.File } entry)
        {
            return;
        }

        var original = await root.ReadFileAsync(RedHatNetwork, cancellationToken).ConfigureAwait(false);
        var text = IfcfgRewriter.RemoveGlobalGateway(Encoding.Latin1.GetString(original), out var removed);
        if (removed.Count == 0)
        {
            return;
        }

        await FixupBackups.BackUpAsync(root, RedHatNetwork, original, entry, context, string.Empty, cancellationToken).ConfigureAwait(false);
        await root.WriteTextAsync(RedHatNetwork, text, null, cancellationToken).ConfigureAwait(false);
        context.RecordChange(RedHatNetwork, FixupAction.Modified, $"removed {string.Join(", ", removed)} (DHCP gives the new gateway)");
    }

    private static async Task InterfacesAsync(FixupContext context, CancellationToken cancellationToken)
    {
        var root = context.Root;
        var files = new List<(string Path, TargetEntry Entry)>();
        if (await root.GetEntryAsync(Interfaces, cancellationToken).ConfigureAwait(false) is { Kind: TargetEntryKind.File } main)
        {
            files.Add((Interfaces, main));
        }

        if (await root.IsDirectoryAsync(InterfacesDirectory, cancellationToken).ConfigureAwait(false))
        {
            foreach (var entry in await root.ListDirectoryAsync(InterfacesDirectory, cancellationToken).ConfigureAwait(false))
            {
                if (entry.Kind == TargetEntryKind.File && !IgnoredSuffixes.Any(s => entry.Name.EndsWith(s, StringComparison.Ordinal)))
                {
                    files.Add((TargetPath.Combine(InterfacesDirectory, entry.Name), entry));
                }
            }
        }

        foreach (var (path, entry) in files)
        {
            var original = await root.ReadFileAsync(path, cancellationToken).ConfigureAwait(false);
            var rewrite = InterfacesRewriter.Rewrite(Encoding.Latin1.GetString(original));
            if (rewrite.Changes.Count == 0)
            {
                continue;
            }

            await FixupBackups.BackUpAsync(root, path, original, entry, context, string.Empty, cancellationToken).ConfigureAwait(false);
            await root.WriteTextAsync(path, rewrite.Text, null, cancellationToken).ConfigureAwait(false);
            context.RecordChange(path, FixupAction.Modified, string.Join("; ", rewrite.Changes));
        }
    }
}
