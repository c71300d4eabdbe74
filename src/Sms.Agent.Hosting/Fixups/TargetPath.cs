namespace Sms.Fixups;

/// <summary>Target paths: absolute at the target's root, no <c>..</c>, resolved without ever leaving the root.</summary>
internal static class TargetPath
{
    /// <summary>Symbolic links followed in one resolution before it is called a loop (as Linux).</summary>
    public const int MaxLinks = 40;

    /// <summary>The components of a caller's path.</summary>
    /// <param name="path">An absolute target path.</param>
    /// <returns>The components, without empty ones and <c>.</c>.</returns>
    /// <exception cref="SmsException">The path is relative, holds a NUL or <c>..</c> (<see cref="SmsErrorCode.InvalidName"/>).</exception>
    public static List<string> Split(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0 || path[0] != '/')
        {
            throw Refused(path, "is not absolute in the target (it must start with '/')");
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw Refused(path, "holds a NUL character");
        }

        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                throw Refused(path, "holds '..'");
            }

            if (part != ".")
            {
                parts.Add(part);
            }
        }

        return parts;
    }

    /// <summary>The path of components.</summary>
    /// <param name="parts">The components.</param>
    /// <returns>"/" for none.</returns>
    public static string Join(IEnumerable<string> parts) => "/" + string.Join('/', parts);

    /// <summary>A path below a directory.</summary>
    /// <param name="directory">The directory's path.</param>
    /// <param name="name">A name in it.</param>
    /// <returns>The path.</returns>
    public static string Combine(string directory, string name) => directory.EndsWith('/') ? directory + name : directory + "/" + name;

    /// <summary>The directory part of a normalised path.</summary>
    /// <param name="path">The path.</param>
    /// <returns>"/" for an entry of the root.</returns>
    public static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    /// <summary>The last component of a normalised path.</summary>
    /// <param name="path">The path.</param>
    /// <returns>"/" for the root.</returns>
    public static string Name(string path) => path == "/" ? "/" : path[(path.LastIndexOf('/') + 1)..];

    /// <summary>The error for a refused path.</summary>
    /// <param name="path">The path.</param>
    /// <param name="why">Completes "it …".</param>
    /// <returns>The exception.</returns>
    public static SmsException Refused(string path, string why) => new(SmsErrorCode.InvalidName, $"The target path '{path}' was refused: it {why}.");

    /// <summary>The error for a missing path.</summary>
    /// <param name="path">The path asked for.</param>
    /// <param name="where">The file system.</param>
    /// <returns>The exception.</returns>
    public static SmsException NotFound(string path, string where) => new(SmsErrorCode.ResourceNotFound, $"'{path}' does not exist on the target ({where}).");

    /// <summary>
    /// Resolves a path component by component. Parents are always followed when they are symbolic links; the final
    /// component only when <paramref name="followFinal"/>. An absolute link target starts again at the root; a
    /// <c>..</c> in a link that would climb above the root is refused.
    /// </summary>
    /// <param name="path">The caller's path.</param>
    /// <param name="followFinal">Whether a final symbolic link is followed.</param>
    /// <param name="lstat">Describes an entry of a resolved path (one whose parents are real directories), or null.</param>
    /// <param name="readLink">Reads a link at a resolved path.</param>
    /// <param name="cancellationToken">Cancels the look-ups.</param>
    /// <returns>The resolved path and its entry, or <see cref="Resolved.Missing"/> set when a parent does not exist.</returns>
    public static async Task<Resolved> ResolveAsync(
        string path,
        bool followFinal,
        Func<string, CancellationToken, Task<TargetEntry?>> lstat,
        Func<string, CancellationToken, Task<string>> readLink,
        CancellationToken cancellationToken)
    {
        var remaining = new Stack<string>(Enumerable.Reverse(Split(path)));
        var resolved = new List<string>();
        TargetEntry? entry = null;
        var current = false;
        var links = 0;
        while (remaining.Count > 0)
        {
            var name = remaining.Pop();
            current = false;
            if (name.Length == 0 || name == ".")
            {
                continue;
            }

            if (name == "..")
            {
                if (resolved.Count == 0)
                {
                    throw Refused(path, "leads out of the target's root through a symbolic link");
                }

                resolved.RemoveAt(resolved.Count - 1);
                continue;
            }

            var candidate = Join(resolved.Append(name));
            entry = await lstat(candidate, cancellationToken).ConfigureAwait(false);
            var last = remaining.Count == 0;
            if (entry is { Kind: TargetEntryKind.Symlink } && (!last || followFinal))
            {
                if (++links > MaxLinks)
                {
                    throw Refused(path, $"goes through more than {MaxLinks} symbolic links (a loop)");
                }

                var target = await readLink(candidate, cancellationToken).ConfigureAwait(false);
                if (target.Length == 0 || target.Contains('\0', StringComparison.Ordinal))
                {
                    throw Refused(path, $"goes through '{candidate}', a symbolic link with an empty or invalid target");
                }

                if (target[0] == '/')
                {
                    resolved.Clear();
                }

                foreach (var part in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                {
                    remaining.Push(part);
                }

                continue;
            }

            if (!last)
            {
                if (entry is null)
                {
                    return new Resolved(candidate, null, true);
                }

                if (entry.Kind != TargetEntryKind.Directory)
                {
                    throw new SmsException(SmsErrorCode.ResourceNotFound, $"'{path}' does not exist on the target: '{candidate}' is not a directory.");
                }
            }

            resolved.Add(name);
            current = true;
        }

        if (!current)
        {
            // The path ended on the root, on '.', on '..' or on a followed link: describe where it landed.
            entry = await lstat(Join(resolved), cancellationToken).ConfigureAwait(false);
        }

        return new Resolved(Join(resolved), entry, false);
    }

    /// <summary>A resolved path.</summary>
    /// <param name="Path">The path with no symbolic link among its parents (nor as itself when followed).</param>
    /// <param name="Entry">What is there, or <see langword="null"/>.</param>
    /// <param name="Missing">Whether a parent directory is missing (then <paramref name="Path"/> names it).</param>
    internal readonly record struct Resolved(string Path, TargetEntry? Entry, bool Missing);
}
