using System.Text.RegularExpressions;

namespace Sms.Fixups.Rewriters;

/// <summary>What <see cref="InterfacesRewriter.Rewrite"/> did.</summary>
/// <param name="Text">The new text (the old one when nothing changed).</param>
/// <param name="Changes">What changed, for the report.</param>
internal sealed record InterfacesRewrite(string Text, IReadOnlyList<string> Changes);

/// <summary>
/// Rewrites Debian's <c>/etc/network/interfaces</c> (and files it sources) for DHCP: <c>iface X inet static</c>
/// becomes <c>inet dhcp</c> and <c>iface X inet6 static</c> becomes <c>inet6 auto</c>, and their address, netmask,
/// gateway, broadcast, network and point-to-point options go; a <c>hwaddress</c> option goes from any stanza. The
/// loopback, comments, <c>auto</c>/<c>allow-</c> lines, other options (dns-*, up/down commands) and every other
/// stanza are kept as they were.
/// </summary>
internal static partial class InterfacesRewriter
{
    private static readonly string[] StanzaKeywords = ["iface", "mapping", "auto", "source", "source-directory", "rename", "no-auto-down", "no-scripts"];
    private static readonly string[] StaticOptions = ["address", "netmask", "gateway", "broadcast", "network", "pointopoint"];

    /// <summary>Rewrites the text.</summary>
    /// <param name="text">The file.</param>
    /// <returns>The new text and what changed.</returns>
    public static InterfacesRewrite Rewrite(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n').ToList();
        var changes = new List<string>();
        var converted = false;
        string? stanza = null;
        for (var n = 0; n < lines.Count; n++)
        {
            var line = lines[n];
            var word = FirstWord(line);
            if (word.Length == 0 || word[0] == '#')
            {
                continue;
            }

            if (StanzaKeywords.Contains(word) || word.StartsWith("allow-", StringComparison.Ordinal))
            {
                stanza = null;
                converted = false;
                if (word == "iface" && Iface().Match(line) is { Success: true } m)
                {
                    stanza = m.Groups["name"].Value;
                    var family = m.Groups["family"].Value;
                    if (m.Groups["method"].Value == "static" && stanza != "lo")
                    {
                        var method = family == "inet6" ? "auto" : "dhcp";
                        lines[n] = string.Concat(line.AsSpan(0, m.Groups["method"].Index), method, line.AsSpan(m.Groups["method"].Index + m.Groups["method"].Length));
                        changes.Add($"iface {stanza} {family} static → {method}");
                        converted = true;
                    }
                }

                continue;
            }

            if (stanza is null)
            {
                continue;
            }

            if (word == "hwaddress" || (converted && StaticOptions.Contains(word)))
            {
                changes.Add($"removed '{line.Trim()}' from iface {stanza}");
                lines.RemoveAt(n--);
            }
        }

        return new InterfacesRewrite(changes.Count == 0 ? text : string.Join('\n', lines), changes);
    }

    private static string FirstWord(string line)
    {
        var trimmed = line.AsSpan().TrimStart(" \t");
        var end = trimmed.IndexOfAny(" \t\r");
        return (end < 0 ? trimmed : trimmed[..end]).ToString();
    }

    [GeneratedRegex(@"^\s*iface\s+(?<name>\S+)\s+(?<family>inet6?|ipx|can)\s+(?<method>\S+)", RegexOptions.CultureInvariant)]
    private static partial Regex Iface();
}
