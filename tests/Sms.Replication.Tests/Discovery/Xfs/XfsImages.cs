using System.Globalization;
using System.Text;

namespace Sms.Replication.Tests.Discovery.Xfs;

/// <summary>A regular file to put into an image: its path inside the file system and its content.</summary>
internal sealed record XfsTestFile(string Path, byte[] Content);

/// <summary>Builds XFS images without mounting: mkfs.xfs with a proto file (-p), and xfs_db + xfs_repair to fragment.</summary>
internal static class XfsImages
{
    public const long Mebibyte = 1 << 20;

    /// <summary>Files of assorted sizes (empty, one byte, around a block, several MiB) in nested directories.</summary>
    public static IReadOnlyList<XfsTestFile> AssortedFiles()
    {
        (string Path, int Length)[] layout =
        [
            ("empty", 0),
            ("one-byte", 1),
            ("etc/hostname", 9),
            ("etc/app/config.json", 1500),
            ("block", 4096),
            ("block-plus-one", 4097),
            ("var/lib/data.bin", 70_000),
            ("var/log/big.log", (int)Mebibyte + 123),
            ("opt/app/huge.bin", (5 * (int)Mebibyte) + 7),
        ];
        var files = new List<XfsTestFile>();
        for (var i = 0; i < layout.Length; i++)
        {
            files.Add(new XfsTestFile(layout[i].Path, Content(layout[i].Length, seed: 100 + i)));
        }

        return files;
    }

    /// <summary><paramref name="count"/> small files ("z001"...) of 1–7 KiB-ish in the root, to be punched out later.</summary>
    public static IReadOnlyList<XfsTestFile> SmallFiles(int count)
    {
        var files = new List<XfsTestFile>();
        for (var i = 1; i <= count; i++)
        {
            files.Add(new XfsTestFile($"z{i:D3}", Content(((i % 7) + 1) * 1500, seed: 1000 + i)));
        }

        return files;
    }

    /// <summary>Formats <paramref name="image"/> and fills it from a proto file describing <paramref name="files"/>.</summary>
    public static void MakePopulated(string workDirectory, string image, long size, IReadOnlyList<XfsTestFile> files, params string[] mkfsArguments)
    {
        var proto = WriteProto(workDirectory, files);
        XfsTools.MakeFileSystem(image, size, [.. mkfsArguments, "-p", proto]);
    }

    /// <summary>
    /// Frees every other "z" file of the root: xfs_db sets its inode mode to 0, then xfs_repair clears the inode and
    /// frees its blocks. The free space ends up in many small extents, so the bno b+tree grows a second level.
    /// </summary>
    public static void PunchEveryOtherSmallFile(string image)
    {
        var commands = new List<string>();
        foreach (var (name, inode) in XfsTools.List(image, "/"))
        {
            if (name.StartsWith('z') && int.Parse(name.AsSpan(1), CultureInfo.InvariantCulture) % 2 == 0)
            {
                commands.Add($"inode {inode}");
                commands.Add("write -d core.mode 0");
            }
        }

        XfsTools.DbWrite(image, commands);
        var (exit, output) = XfsTools.Repair(image, checkOnly: false);
        Assert.True(exit == 0, $"xfs_repair {image} exited {exit}: {output}");
    }

    /// <summary>
    /// Writes the host copies of the files and a proto file (see mkfs.xfs(8), -p): a dummy first line, "0 0", the
    /// root "d--755 0 0", then per entry "name mode uid gid [source]", a directory's entries up to its "$".
    /// </summary>
    public static string WriteProto(string workDirectory, IReadOnlyList<XfsTestFile> files)
    {
        var contentDirectory = Path.Combine(workDirectory, "content");
        Directory.CreateDirectory(contentDirectory);
        var root = new ProtoDirectory();
        for (var i = 0; i < files.Count; i++)
        {
            var source = Path.Combine(contentDirectory, $"file{i}");
            File.WriteAllBytes(source, files[i].Content);
            var parts = files[i].Path.Split('/');
            var directory = root;
            for (var p = 0; p < parts.Length - 1; p++)
            {
                if (!directory.Directories.TryGetValue(parts[p], out var child))
                {
                    child = new ProtoDirectory();
                    directory.Directories.Add(parts[p], child);
                }

                directory = child;
            }

            directory.Files.Add((parts[^1], source));
        }

        var text = new StringBuilder();
        text.Append("sms-test\n0 0\nd--755 0 0\n");
        root.Write(text, depth: 1);
        text.Append("$\n");
        var proto = Path.Combine(workDirectory, "image.proto");
        File.WriteAllText(proto, text.ToString());
        return proto;
    }

    public static byte[] Content(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private sealed class ProtoDirectory
    {
        public SortedDictionary<string, ProtoDirectory> Directories { get; } = new(StringComparer.Ordinal);

        public List<(string Name, string Source)> Files { get; } = [];

        public void Write(StringBuilder text, int depth)
        {
            var indent = new string(' ', depth * 2);
            foreach (var (name, source) in Files)
            {
                text.Append(CultureInfo.InvariantCulture, $"{indent}{name} ---644 0 0 {source}\n");
            }

            foreach (var (name, directory) in Directories)
            {
                text.Append(CultureInfo.InvariantCulture, $"{indent}{name} d--755 0 0\n");
                directory.Write(text, depth + 1);
                text.Append(CultureInfo.InvariantCulture, $"{indent}$\n");
            }
        }
    }
}
