using System.Text;

namespace Sms.Discovery.Host;

/// <summary>Parses <c>/proc/self/mountinfo</c> and marks pseudo, bind and repeated mounts.</summary>
public static class MountInfoParser
{
    private static readonly HashSet<string> PseudoTypes = new(StringComparer.Ordinal)
    {
        "proc", "sysfs", "devtmpfs", "devpts", "tmpfs", "cgroup", "cgroup2", "securityfs", "pstore", "bpf", "debugfs",
        "tracefs", "mqueue", "hugetlbfs", "configfs", "fusectl", "autofs", "nsfs", "rpc_pipefs", "binfmt_misc",
        "efivarfs", "ramfs", "squashfs", "fuse.gvfsd-fuse", "fuse.portal", "selinuxfs", "overlay", "nfsd",
    };

    /// <summary>One parsed line.</summary>
    /// <param name="DeviceNumber">major:minor.</param>
    /// <param name="Root">The directory of the file system mounted here.</param>
    /// <param name="MountPoint">The mount point.</param>
    /// <param name="Options">The per-mount options.</param>
    /// <param name="FileSystemType">The type.</param>
    /// <param name="Source">The source device.</param>
    public sealed record Entry(string DeviceNumber, string Root, string MountPoint, string Options, string FileSystemType, string Source)
    {
        /// <summary>Whether the type is a pseudo file system.</summary>
        /// <value><see langword="true"/> for proc, sysfs, tmpfs and the like.</value>
        public bool IsPseudo => PseudoTypes.Contains(FileSystemType);
    }

    /// <summary>Parses the text of a mountinfo file; malformed lines are skipped.</summary>
    /// <param name="text">The file's content.</param>
    /// <returns>The entries in file order.</returns>
    public static List<Entry> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<Entry>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ');
            var separator = fields.Length < 10 ? -1 : Array.IndexOf(fields, "-", 6);
            if (separator < 0 || separator + 2 >= fields.Length)
            {
                continue;
            }

            entries.Add(new Entry(fields[2], Unescape(fields[3]), Unescape(fields[4]), fields[5], fields[separator + 1], Unescape(fields[separator + 2])));
        }

        return entries;
    }

    /// <summary>
    /// Whether each entry is a bind mount (a sub-directory of a file system mounted elsewhere) or a repeated mount of
    /// a device already mounted earlier (SMS.1353). Pseudo file systems are never flagged.
    /// </summary>
    /// <param name="entries">The entries in file order.</param>
    /// <returns>One flag per entry.</returns>
    public static bool[] FindBindOrRepeated(IReadOnlyList<Entry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var flags = new bool[entries.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry.IsPseudo)
            {
                continue;
            }

            var repeated = !seen.Add(entry.DeviceNumber);
            flags[i] = repeated || !string.Equals(entry.Root, "/", StringComparison.Ordinal);
        }

        return flags;
    }

    // mountinfo escapes space, tab, newline and backslash as \ooo octal.
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var result = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                result.Append((char)(((field[i + 1] - '0') * 64) + ((field[i + 2] - '0') * 8) + (field[i + 3] - '0')));
                i += 3;
            }
            else
            {
                result.Append(field[i]);
            }
        }

        return result.ToString();
    }

    private static bool IsOctal(string s, int at)
        => at + 2 < s.Length && s[at] is >= '0' and <= '7' && s[at + 1] is >= '0' and <= '7' && s[at + 2] is >= '0' and <= '7';
}
