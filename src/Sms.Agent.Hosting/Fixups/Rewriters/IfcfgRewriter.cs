using System.Text.RegularExpressions;

namespace Sms.Fixups.Rewriters;

/// <summary>What <see cref="IfcfgRewriter.Rewrite"/> decided.</summary>
/// <param name="Text">The new text, or <see langword="null"/> when the file is left as it is.</param>
/// <param name="Changes">What changed, for the report.</param>
/// <param name="Reason">Why the file is left, when it is.</param>
/// <param name="WasStatic">Whether static addresses were removed.</param>
internal sealed record IfcfgRewrite(string? Text, IReadOnlyList<string> Changes, string? Reason, bool WasStatic);

/// <summary>
/// Rewrites a RHEL-style (<c>/etc/sysconfig/network-scripts/ifcfg-*</c>) or SUSE-style
/// (<c>/etc/sysconfig/network/ifcfg-*</c>) interface file for DHCP: the MAC binding (<c>HWADDR</c>,
/// <c>MACADDR</c>, <c>LLADDR</c>) and the connection <c>UUID</c> go, <c>BOOTPROTO</c> becomes dhcp, and the static
/// addresses, prefixes, netmasks and gateways go. Every other line is kept as it was. Loopback, bond, bridge, team
/// and VLAN files are left.
/// </summary>
internal static partial class IfcfgRewriter
{
    /// <summary>Rewrites one file.</summary>
    /// <param name="text">The file.</param>
    /// <returns>The decision.</returns>
    public static IfcfgRewrite Rewrite(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n').ToList();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (Assignment().Match(line) is { Success: true } m)
            {
                values[m.Groups["key"].Value] = Unquote(m.Groups["value"].Value);
            }
        }

        if (values.GetValueOrDefault("DEVICE") == "lo" || values.GetValueOrDefault("NAME") == "loopback")
        {
            return new IfcfgRewrite(null, [], "the loopback interface", false);
        }

        if (values.TryGetValue("TYPE", out var type) && !type.Equals("Ethernet", StringComparison.OrdinalIgnoreCase))
        {
            return new IfcfgRewrite(null, [], $"TYPE={type}: only Ethernet interfaces are rewritten", false);
        }

        if (((string[])["MASTER", "BRIDGE", "TEAM_MASTER", "BONDING_OPTS", "VLAN", "PHYSDEV"]).Any(values.ContainsKey)
            || values.GetValueOrDefault("SLAVE")?.Equals("yes", StringComparison.OrdinalIgnoreCase) == true)
        {
            return new IfcfgRewrite(null, [], "part of a bond, bridge, team or VLAN, which are not rewritten; adapt it by hand", false);
        }

        var changes = new List<string>();
        var wasStatic = false;
        var sawBootProto = false;
        for (var n = 0; n < lines.Count; n++)
        {
            if (Assignment().Match(lines[n]) is not { Success: true } m)
            {
                continue;
            }

            var key = m.Groups["key"].Value;
            var value = m.Groups["value"].Value;
            if (key is "HWADDR" or "MACADDR" or "LLADDR")
            {
                changes.Add($"removed {key}={Unquote(value)} (bound to the source's MAC address)");
                lines.RemoveAt(n--);
            }
            else if (key == "UUID")
            {
                changes.Add("removed the connection's UUID");
                lines.RemoveAt(n--);
            }
            else if (StaticKey().IsMatch(key))
            {
                wasStatic = true;
                changes.Add($"removed {key}={Unquote(value)}");
                lines.RemoveAt(n--);
            }
            else if (key == "BOOTPROTO")
            {
                sawBootProto = true;
                var protocol = Unquote(value);
                if (!protocol.Equals("dhcp", StringComparison.OrdinalIgnoreCase))
                {
                    var quote = value.Length > 0 && value[0] is '"' or '\'' ? value[0].ToString() : string.Empty;
                    lines[n] = lines[n][..m.Groups["value"].Index] + quote + "dhcp" + quote + lines[n][(m.Groups["value"].Index + value.Length)..];
                    changes.Add($"BOOTPROTO={(protocol.Length == 0 ? "(empty)" : protocol)} → dhcp");
                }
            }
        }

        if (!sawBootProto)
        {
            var end = lines.Count > 0 && lines[^1].Length == 0 ? lines.Count - 1 : lines.Count;
            lines.Insert(end, "BOOTPROTO=dhcp");
            changes.Add("added BOOTPROTO=dhcp");
        }

        return changes.Count == 0
            ? new IfcfgRewrite(null, [], "already DHCP and not bound to a MAC address", false)
            : new IfcfgRewrite(string.Join('\n', lines), changes, null, wasStatic);
    }

    /// <summary>Removes the default gateway from <c>/etc/sysconfig/network</c> (DHCP gives the new one).</summary>
    /// <param name="text">The file.</param>
    /// <param name="removed">The lines removed.</param>
    /// <returns>The new text.</returns>
    public static string RemoveGlobalGateway(string text, out IReadOnlyList<string> removed)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n').ToList();
        var gone = new List<string>();
        lines.RemoveAll(line =>
        {
            if (Assignment().Match(line) is { Success: true } m && m.Groups["key"].Value is "GATEWAY" or "GATEWAYDEV" or "IPV6_DEFAULTGW" or "IPV6_DEFAULTDEV")
            {
                gone.Add(line.Trim());
                return true;
            }

            return false;
        });
        removed = gone;
        return gone.Count == 0 ? text : string.Join('\n', lines);
    }

    private static string Unquote(string value)
        => value.Length >= 2 && value[0] is '"' or '\'' && value[^1] == value[0] ? value[1..^1] : value.Trim();

    [GeneratedRegex(@"^\s*(?<key>[A-Za-z_][A-Za-z0-9_]*)=(?<value>.*?)\r?$", RegexOptions.CultureInvariant)]
    private static partial Regex Assignment();

    [GeneratedRegex(@"^(?:IPADDR|NETMASK|PREFIX|PREFIXLEN|GATEWAY|NETWORK|BROADCAST|REMOTE_IPADDR)(?:_?[0-9]+)?$|^IPV6ADDR(?:_SECONDARIES)?$|^IPV6_DEFAULTGW$", RegexOptions.CultureInvariant)]
    private static partial Regex StaticKey();
}
