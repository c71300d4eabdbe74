namespace Sms.Fixups.Rewriters;

/// <summary>An fstab entry whose device was replaced by its UUID.</summary>
/// <param name="Line">The line number, from 1.</param>
/// <param name="Device">The device name it had.</param>
/// <param name="Volume">The volume it names.</param>
/// <param name="MountPoint">Its mount point (or "none", "swap").</param>
internal readonly record struct FstabMapping(int Line, string Device, TargetVolume Volume, string MountPoint);

/// <summary>A device name left as it was, and why.</summary>
/// <param name="Line">The line number, from 1.</param>
/// <param name="Device">The name.</param>
/// <param name="Reason">Why it was not mapped.</param>
internal readonly record struct UnmappedDevice(int Line, string Device, string Reason);

/// <summary>What <see cref="FstabRewriter.Rewrite"/> did.</summary>
/// <param name="Text">The new text (the old one when nothing changed).</param>
/// <param name="Mapped">The entries changed.</param>
/// <param name="Unmapped">The device entries left.</param>
internal sealed record FstabRewrite(string Text, IReadOnlyList<FstabMapping> Mapped, IReadOnlyList<UnmappedDevice> Unmapped);

/// <summary>
/// Rewrites <c>/etc/fstab</c> so that entries naming disk devices name their file system's UUID instead. Only the
/// first field of such an entry changes; comments, blank lines, the spacing after the field, options and every other
/// entry (UUID=, LABEL=, PARTUUID=, LVM and md devices, tmpfs, network mounts, bind mounts) are kept byte for byte.
/// </summary>
internal static class FstabRewriter
{
    /// <summary>Rewrites the text.</summary>
    /// <param name="text">fstab, read one byte per character.</param>
    /// <param name="map">The device map.</param>
    /// <returns>The new text and what changed.</returns>
    public static FstabRewrite Rewrite(string text, DeviceMap map)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(map);
        var lines = text.Split('\n');
        var mapped = new List<FstabMapping>();
        var unmapped = new List<UnmappedDevice>();
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n];
            if (Fields(line) is not { } fields)
            {
                continue;
            }

            var (start, end) = fields[0];
            var spec = line[start..end];
            var mountPoint = fields.Count > 1 ? line[fields[1].Start..fields[1].End] : string.Empty;
            var lookup = map.Look(spec);
            switch (lookup.Kind)
            {
                case DeviceLookupKind.Mapped:
                    lines[n] = string.Concat(line.AsSpan(0, start), "UUID=", lookup.Volume!.Uuid, line.AsSpan(end));
                    mapped.Add(new FstabMapping(n + 1, spec, lookup.Volume, mountPoint));
                    break;
                case DeviceLookupKind.Unmapped:
                    unmapped.Add(new UnmappedDevice(n + 1, spec, lookup.Reason!));
                    break;
                default:
                    break;
            }
        }

        return new FstabRewrite(mapped.Count == 0 ? text : string.Join('\n', lines), mapped, unmapped);
    }

    /// <summary>The entries of an fstab: device (first field) and mount point.</summary>
    /// <param name="text">fstab.</param>
    /// <returns>The entries, comments and blank lines left out.</returns>
    public static IEnumerable<(string Spec, string MountPoint)> Entries(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var line in text.Split('\n'))
        {
            if (Fields(line) is { Count: > 1 } fields)
            {
                yield return (line[fields[0].Start..fields[0].End], Unescape(line[fields[1].Start..fields[1].End]));
            }
        }
    }

    /// <summary>The bounds of the fields of an entry line, or <see langword="null"/> for a comment or blank line.</summary>
    private static List<(int Start, int End)>? Fields(string line)
    {
        var fields = new List<(int, int)>();
        var i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && IsBlank(line[i]))
            {
                i++;
            }

            if (i >= line.Length)
            {
                break;
            }

            if (fields.Count == 0 && line[i] == '#')
            {
                return null;
            }

            var start = i;
            while (i < line.Length && !IsBlank(line[i]))
            {
                i++;
            }

            fields.Add((start, i));
        }

        return fields.Count == 0 ? null : fields;
    }

    private static bool IsBlank(char c) => c is ' ' or '\t' or '\r';

    /// <summary>fstab writes a space in a path as <c>\040</c> (and a tab as <c>\011</c>).</summary>
    private static string Unescape(string field) => field.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal);
}
