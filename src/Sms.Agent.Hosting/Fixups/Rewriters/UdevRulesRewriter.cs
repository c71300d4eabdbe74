using System.Text.RegularExpressions;

namespace Sms.Fixups.Rewriters;

/// <summary>
/// Disables udev rules that name a network interface after a MAC address
/// (<c>SUBSYSTEM=="net", ATTR{address}=="52:54:…", NAME="eth0"</c>): on the target the NIC has another address, so
/// the rule would leave it without the name its configuration expects. Such lines are commented out; others are kept.
/// </summary>
internal static partial class UdevRulesRewriter
{
    /// <summary>The prefix of a line commented out.</summary>
    public const string DisabledPrefix = "# Disabled by Sms (bound to the source's MAC address): ";

    /// <summary>Comments out the MAC-bound naming rules.</summary>
    /// <param name="text">A rules file.</param>
    /// <param name="disabled">The lines commented out.</param>
    /// <returns>The new text.</returns>
    public static string DisableMacBoundNames(string text, out IReadOnlyList<string> disabled)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        var gone = new List<string>();
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n];
            if (!line.TrimStart().StartsWith('#') && NetSubsystem().IsMatch(line) && MacMatch().IsMatch(line) && NameAssignment().IsMatch(line))
            {
                gone.Add(line.Trim());
                lines[n] = DisabledPrefix + line;
            }
        }

        disabled = gone;
        return gone.Count == 0 ? text : string.Join('\n', lines);
    }

    [GeneratedRegex(@"SUBSYSTEM\s*==\s*""net""", RegexOptions.CultureInvariant)]
    private static partial Regex NetSubsystem();

    [GeneratedRegex(@"ATTRS?\{address\}\s*==", RegexOptions.CultureInvariant)]
    private static partial Regex MacMatch();

    [GeneratedRegex(@"(?:^|[\s,])NAME\s*:?=[^=]", RegexOptions.CultureInvariant)]
    private static partial Regex NameAssignment();
}
