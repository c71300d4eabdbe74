using System.Text;
using System.Text.RegularExpressions;

namespace Sms.Fixups.Rewriters;

/// <summary>What <see cref="NetplanRewriter.Rewrite"/> decided.</summary>
/// <param name="Text">The new configuration, or <see langword="null"/> when the file is left as it is.</param>
/// <param name="Reason">What was found (when rewritten) or why it is left (when not).</param>
internal sealed record NetplanRewrite(string? Text, string Reason);

/// <summary>
/// Replaces a netplan configuration that binds interfaces to MAC addresses (<c>match: macaddress:</c>,
/// <c>macaddress:</c>) or gives them static addresses by one that brings every Ethernet interface up with DHCP. The
/// source's renderer and DHCPv6 are kept. A file that also configures bonds, bridges, VLANs, Wi-Fi or tunnels, or
/// that this reader does not understand, is left as it is.
/// </summary>
internal static partial class NetplanRewriter
{
    private static readonly string[] OtherDevices = ["bonds", "bridges", "vlans", "wifis", "tunnels", "vrfs", "modems", "nm-devices", "dummy-devices", "virtual-ethernets"];

    /// <summary>Decides about one netplan file.</summary>
    /// <param name="text">The file.</param>
    /// <param name="backupPath">Where the original is kept, for the new file's comment.</param>
    /// <returns>The new text or the reason to leave it.</returns>
    public static NetplanRewrite Rewrite(string text, string backupPath)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!MiniYaml.TryParse(text, out var root, out var why))
        {
            return new NetplanRewrite(null, $"not understood ({why}); left as it is");
        }

        if (root is not YamlMapping { } top || top.Get("network") is not YamlMapping network)
        {
            return new NetplanRewrite(null, "no 'network:' mapping; left as it is");
        }

        if (network.Get("ethernets") is not YamlMapping { Entries.Count: > 0 } ethernets)
        {
            return new NetplanRewrite(null, "configures no Ethernet interface");
        }

        var found = new List<string>();
        var dhcp6 = false;
        foreach (var (name, node) in ethernets.Entries)
        {
            if (node is not YamlMapping settings)
            {
                continue;
            }

            if (settings.Get("match") is YamlMapping match && match.Get("macaddress") is not null)
            {
                found.Add($"{name} matched by MAC address");
            }

            if (settings.Get("macaddress") is not null)
            {
                found.Add($"{name} given a MAC address");
            }

            if (settings.Get("addresses") is YamlSequence { Items.Count: > 0 } or YamlScalar { Value.Length: > 0 })
            {
                found.Add($"{name} with static addresses");
            }
            else if (settings.Get("gateway4") is not null || settings.Get("gateway6") is not null)
            {
                found.Add($"{name} with a static gateway");
            }

            dhcp6 |= MiniYaml.IsTrue(settings.Get("dhcp6"));
        }

        if (found.Count == 0)
        {
            return new NetplanRewrite(null, "no interface bound to a MAC address or with static addresses");
        }

        var others = OtherDevices.Where(d => network.Get(d) is YamlMapping { Entries.Count: > 0 }).ToList();
        if (others.Count > 0)
        {
            return new NetplanRewrite(null, $"{string.Join(", ", found)}, but it also configures {string.Join(", ", others)}, which are not rewritten; adapt it by hand");
        }

        var text2 = new StringBuilder()
            .Append("# Written by Sms when this server was migrated: DHCP on every Ethernet interface,\n")
            .Append("# instead of the source's configuration (").Append(string.Join(", ", found)).Append(").\n")
            .Append("# The source's file is ").Append(backupPath).Append(".\n")
            .Append("network:\n")
            .Append("  version: 2\n");
        if (network.Get("renderer") is YamlScalar { Value: var renderer } && SafeScalar().IsMatch(renderer))
        {
            text2.Append("  renderer: ").Append(renderer).Append('\n');
        }

        var id = ethernets.Entries[0].Key;
        text2.Append("  ethernets:\n")
            .Append("    ").Append(SafeScalar().IsMatch(id) ? id : "primary").Append(":\n")
            .Append("      match:\n")
            .Append("        name: \"e*\"\n")
            .Append("      dhcp4: true\n");
        if (dhcp6)
        {
            text2.Append("      dhcp6: true\n");
        }

        return new NetplanRewrite(text2.ToString(), string.Join(", ", found));
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeScalar();
}
