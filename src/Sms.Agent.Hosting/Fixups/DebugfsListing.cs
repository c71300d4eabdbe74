using System.Globalization;
using System.Text;

namespace Sms.Fixups;

/// <summary>
/// Parses <c>debugfs ls -p</c>: one record per entry, <c>/inode/mode/uid/gid/name/size/</c> and a line break, the
/// size empty for a directory. A name cannot hold '/', so splitting on it is exact even for names with line breaks.
/// </summary>
internal static class DebugfsListing
{
    private const int TypeMask = 0xF000;

    /// <summary>The entries, "." and ".." included.</summary>
    /// <param name="output">What <c>ls -p</c> printed.</param>
    /// <param name="directory">The directory listed, for the error.</param>
    /// <returns>The entries.</returns>
    /// <exception cref="SmsException">The output is not a listing (<see cref="SmsErrorCode.TargetConfigurationFailed"/>).</exception>
    public static List<TargetEntry> Parse(ReadOnlySpan<byte> output, string directory)
    {
        var fields = new List<string>();
        foreach (var range in output.Split((byte)'/'))
        {
            fields.Add(Encoding.UTF8.GetString(output[range]));
        }

        var entries = new List<TargetEntry>();
        if (fields.Count <= 1 && fields.All(static f => string.IsNullOrWhiteSpace(f)))
        {
            return entries;
        }

        if (fields[0].Trim().Length != 0)
        {
            throw Unexpected(directory, fields[0]);
        }

        // fields: "", then per entry: inode, mode, uid, gid, name, size, separator (the line break before the next '/').
        var i = 1;
        while (i + 6 < fields.Count)
        {
            if (!uint.TryParse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out _)
                || !TryOctal(fields[i + 1], out var mode)
                || !uint.TryParse(fields[i + 2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
                || !uint.TryParse(fields[i + 3], NumberStyles.None, CultureInfo.InvariantCulture, out var gid)
                || fields[i + 6].Trim().Length != 0)
            {
                throw Unexpected(directory, string.Join('/', fields.Skip(i).Take(7)));
            }

            _ = long.TryParse(fields[i + 5], NumberStyles.None, CultureInfo.InvariantCulture, out var size);
            entries.Add(new TargetEntry
            {
                Name = fields[i + 4],
                Kind = KindOf(mode),
                Mode = mode & 0xFFF,
                Uid = uid,
                Gid = gid,
                Size = size,
            });
            i += 7;
        }

        if (i < fields.Count && fields.Skip(i).Any(static f => f.Trim().Length != 0))
        {
            throw Unexpected(directory, string.Join('/', fields.Skip(i)));
        }

        return entries;
    }

    /// <summary>The kind of a full ext2 mode.</summary>
    /// <param name="mode">i_mode.</param>
    /// <returns>The kind.</returns>
    public static TargetEntryKind KindOf(int mode) => (mode & TypeMask) switch
    {
        0x4000 => TargetEntryKind.Directory,
        0x8000 => TargetEntryKind.File,
        0xA000 => TargetEntryKind.Symlink,
        _ => TargetEntryKind.Other,
    };

    private static bool TryOctal(string text, out int value)
    {
        value = 0;
        if (text.Length is 0 or > 7)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < '0' or > '7')
            {
                return false;
            }

            value = (value * 8) + (c - '0');
        }

        return true;
    }

    private static SmsException Unexpected(string directory, string text)
        => new(SmsErrorCode.TargetConfigurationFailed, $"debugfs listed '{directory}' in a form not understood: '{text.Trim()}'.");
}
