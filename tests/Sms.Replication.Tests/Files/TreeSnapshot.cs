using System.IO.Hashing;
using System.Text;
using Sms.Files;
using Sms.Files.Native;

namespace Sms.Replication.Tests.Files;

/// <summary>One entry of a tree as statx (and the xattr calls) see it; content hashed without touching access times.</summary>
public sealed record EntrySnapshot(
    FileKind Kind,
    uint Mode,
    uint Uid,
    uint Gid,
    long Size,
    long ModifySeconds,
    uint ModifyNanoseconds,
    long? AccessSeconds,
    uint? AccessNanoseconds,
    string? Content,
    string Xattrs,
    string LinkGroup,
    ulong Rdev);

/// <summary>Every entry of a tree (the root as "."), compared with <see cref="AssertSame"/>.</summary>
public static class TreeSnapshot
{
    /// <summary>Takes a snapshot: all entries are stat'ed first, then contents are read (with O_NOATIME).</summary>
    /// <param name="root">The tree.</param>
    /// <param name="accessTimes">Whether to record access times of non-directories.</param>
    /// <param name="skip">Relative paths (and everything under them) left out.</param>
    public static SortedDictionary<string, EntrySnapshot> Take(string root, bool accessTimes = true, params string[] skip)
    {
        var stats = new List<(string Relative, string Full, StatxInfo Stat)>();
        Walk(root, ".", stats, skip);
        var groups = new Dictionary<ulong, string>();
        var result = new SortedDictionary<string, EntrySnapshot>(StringComparer.Ordinal);
        foreach (var (relative, full, st) in stats)
        {
            string? content = st.Kind switch
            {
                FileKind.Regular => Convert.ToHexString(XxHash128.Hash(NativeQueries.ReadAll(full))),
                FileKind.Symlink => new FileInfo(full).LinkTarget,
                _ => null,
            };
            if (st.Kind == FileKind.Symlink)
            {
                NativeQueries.SetTimes(full, st.Access, st.Modify); // reading a link touched its access time
            }
            var group = string.Empty;
            if (st.Kind == FileKind.Regular && st.Links > 1)
            {
                group = groups.TryGetValue(st.Inode, out var first) ? first : groups[st.Inode] = relative;
            }

            var xattrs = NativeQueries.Xattrs(full);
            var withAccess = accessTimes && st.Kind != FileKind.Directory;
            result[relative] = new EntrySnapshot(
                st.Kind,
                st.Kind == FileKind.Symlink ? 0 : st.Permissions,
                st.Uid,
                st.Gid,
                st.Kind is FileKind.Regular or FileKind.Symlink ? st.Size : 0,
                st.Modify.Seconds,
                st.Modify.Nanoseconds,
                withAccess ? st.Access.Seconds : null,
                withAccess ? st.Access.Nanoseconds : null,
                content,
                xattrs is null ? string.Empty : Convert.ToHexString(xattrs),
                group,
                st.Kind is FileKind.CharacterDevice or FileKind.BlockDevice ? ((ulong)st.RdevMajor << 32) | st.RdevMinor : 0);
        }

        return result;
    }

    /// <summary>Asserts that two snapshots are equal, naming the first differences.</summary>
    public static void AssertSame(IReadOnlyDictionary<string, EntrySnapshot> expected, IReadOnlyDictionary<string, EntrySnapshot> actual)
    {
        var problems = new StringBuilder();
        var count = 0;
        foreach (var (path, entry) in expected)
        {
            if (!actual.TryGetValue(path, out var other))
            {
                Note($"missing: {path}");
            }
            else if (entry != other)
            {
                Note($"differs: {path}\n  expected {entry}\n  actual   {other}");
            }
        }

        foreach (var path in actual.Keys)
        {
            if (!expected.ContainsKey(path))
            {
                Note($"extra: {path}");
            }
        }

        Assert.True(count == 0, $"{count} differences:\n{problems}");

        void Note(string what)
        {
            if (++count <= 10)
            {
                problems.AppendLine(what);
            }
        }
    }

    /// <summary>Asserts that a target tree equals its source.</summary>
    public static void AssertSameTree(string source, string target, bool accessTimes = false, params string[] skip)
        => AssertSame(Take(source, accessTimes, skip), Take(target, accessTimes, skip));

    private static void Walk(string full, string relative, List<(string, string, StatxInfo)> stats, string[] skip)
    {
        var st = NativeQueries.Lstat(full) ?? throw new FileNotFoundException(full);
        stats.Add((relative, full, st));
        if (st.Kind != FileKind.Directory)
        {
            return;
        }

        // Listed natively: .NET's enumeration stats through symbolic links, which touches their access times.
        foreach (var name in NativeQueries.List(full))
        {
            var child = Path.Combine(full, name);
            var childRelative = relative == "." ? name : relative + "/" + name;
            if (Array.IndexOf(skip, childRelative) < 0)
            {
                Walk(child, childRelative, stats, skip);
            }
        }
    }
}
