namespace Sms.Integration.Tests.Hostile;

/// <summary>Every path under a directory with its size and modification time (symlinks not followed).</summary>
public sealed record TreeSnapshot(IReadOnlyDictionary<string, string> Entries)
{
    public static TreeSnapshot Take(string root, Func<string, bool>? skip = null)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            foreach (var path in Directory.EnumerateFileSystemEntries(directory))
            {
                var relative = Path.GetRelativePath(root, path);
                if (skip?.Invoke(relative) == true)
                {
                    continue;
                }

                var info = new FileInfo(path);
                var isLink = info.LinkTarget is not null;
                var isDirectory = !isLink && Directory.Exists(path);
                entries[relative] = isLink ? $"link {info.LinkTarget}" : isDirectory ? "dir" : $"file {info.Length} {info.LastWriteTimeUtc.Ticks}";
                if (isDirectory)
                {
                    pending.Push(path);
                }
            }
        }

        return new TreeSnapshot(entries);
    }

    /// <summary>The paths added, removed or changed since <paramref name="before"/>.</summary>
    public IReadOnlyList<string> ChangesSince(TreeSnapshot before)
    {
        var changes = new List<string>();
        foreach (var (path, what) in Entries)
        {
            if (!before.Entries.TryGetValue(path, out var was))
            {
                changes.Add($"+ {path} ({what})");
            }
            else if (was != what)
            {
                changes.Add($"~ {path} ({was} -> {what})");
            }
        }

        changes.AddRange(before.Entries.Keys.Where(p => !Entries.ContainsKey(p)).Select(p => $"- {p}"));
        return changes;
    }
}
