using System.Diagnostics;
using System.Globalization;

namespace Sms.Replication.Tests.Discovery.Xfs;

/// <summary>Runs xfsprogs (mkfs.xfs, xfs_db, xfs_repair) on image files and parses what they print.</summary>
internal static class XfsTools
{
    private static readonly string[] SystemDirectories = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

    /// <summary>A sparse file of <paramref name="size"/> bytes formatted with <c>mkfs.xfs -q -f</c> and the arguments.</summary>
    public static void MakeFileSystem(string image, long size, params string[] arguments)
    {
        CreateSparse(image, size);
        Run("mkfs.xfs", ["-q", "-f", .. arguments, image]);
    }

    /// <summary>Like <see cref="MakeFileSystem"/>, but returns false when mkfs.xfs refuses the options.</summary>
    public static bool TryMakeFileSystem(string image, long size, out string error, params string[] arguments)
    {
        CreateSparse(image, size);
        var (exit, _, stderr) = Execute("mkfs.xfs", ["-q", "-f", .. arguments, image]);
        error = stderr;
        return exit == 0;
    }

    public static void CreateSparse(string path, long size)
    {
        using var handle = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite);
        RandomAccess.SetLength(handle, size);
    }

    /// <summary><c>xfs_db -r</c> with the commands; returns its standard output.</summary>
    public static string Db(string image, params string[] commands)
    {
        var arguments = new List<string> { "-r" };
        foreach (var command in commands)
        {
            arguments.Add("-c");
            arguments.Add(command);
        }

        arguments.Add(image);
        return Run("xfs_db", [.. arguments]);
    }

    /// <summary><c>xfs_db -x</c> (expert, read-write) with the commands.</summary>
    public static void DbWrite(string image, IReadOnlyList<string> commands)
    {
        var arguments = new List<string> { "-x" };
        foreach (var command in commands)
        {
            arguments.Add("-c");
            arguments.Add(command);
        }

        arguments.Add(image);
        Execute("xfs_db", [.. arguments]);
    }

    /// <summary><c>xfs_repair</c> (with <c>-n</c>: check only); returns the exit code and the output.</summary>
    public static (int ExitCode, string Output) Repair(string image, bool checkOnly)
    {
        var (exit, stdout, stderr) = Execute("xfs_repair", checkOnly ? ["-n", image] : [image]);
        return (exit, stdout + stderr);
    }

    /// <summary>"total free blocks N" of <c>freesp -s</c>: the bno b+tree records plus the AGFL blocks.</summary>
    public static long FreespTotalBlocks(string image)
    {
        foreach (var line in Lines(Db(image, "freesp -s")))
        {
            if (line.StartsWith("total free blocks", StringComparison.Ordinal))
            {
                return long.Parse(line["total free blocks".Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("xfs_db freesp -s printed no 'total free blocks'");
    }

    /// <summary>The (agno, agbno, len) lines of <c>freesp -d</c>, in the order printed (per AG: AGFL, then bno records).</summary>
    public static List<(uint Ag, uint Start, uint Length)> FreespDetails(string image)
    {
        var result = new List<(uint, uint, uint)>();
        foreach (var line in Lines(Db(image, "freesp -d")))
        {
            var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length == 3
                && uint.TryParse(tokens[0], CultureInfo.InvariantCulture, out var ag)
                && uint.TryParse(tokens[1], CultureInfo.InvariantCulture, out var start)
                && uint.TryParse(tokens[2], CultureInfo.InvariantCulture, out var length))
            {
                result.Add((ag, start, length));
            }
        }

        return result;
    }

    /// <summary>Named fields printed by one xfs_db structure (<c>sb 0</c>, <c>agf 3</c>), as "name = value".</summary>
    public static Dictionary<string, string> Fields(string image, params string[] navigation)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in Lines(Db(image, [.. navigation, "print"])))
        {
            var equals = line.IndexOf(" = ", StringComparison.Ordinal);
            if (equals > 0)
            {
                fields[line[..equals].Trim()] = line[(equals + 3)..].Trim();
            }
        }

        return fields;
    }

    public static long Field(Dictionary<string, string> fields, string name)
    {
        var value = fields[name];
        return value.StartsWith("0x", StringComparison.Ordinal)
            ? long.Parse(value[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : long.Parse(value, CultureInfo.InvariantCulture);
    }

    /// <summary>The AG blocks on the free list of AG <paramref name="ag"/>, from <c>agfl N</c> / <c>print bno</c>.</summary>
    public static List<uint> AgflBlocks(string image, uint ag)
    {
        var result = new List<uint>();
        foreach (var line in Lines(Db(image, $"agfl {ag}", "print bno")))
        {
            if (!line.StartsWith("bno[", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var token in line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var value = token[(token.IndexOf(':', StringComparison.Ordinal) + 1)..];
                if (value != "null")
                {
                    result.Add(uint.Parse(value, CultureInfo.InvariantCulture));
                }
            }
        }

        return result;
    }

    /// <summary>Name → inode number of the entries of a directory, from <c>ls</c>.</summary>
    public static Dictionary<string, ulong> List(string image, string directory)
    {
        var result = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var line in Lines(Db(image, $"ls {directory}")))
        {
            // "14         67                 regular        0x00003331   2 f1 (good)"
            var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length >= 6 && ulong.TryParse(tokens[1], CultureInfo.InvariantCulture, out var inode))
            {
                result[tokens[5]] = inode;
            }
        }

        return result;
    }

    /// <summary>The data-fork extents of an inode: (file block, AG, AG block, block count), from <c>bmap</c>.</summary>
    public static List<(long FileBlock, uint Ag, uint AgBlock, long Count)> Bmap(string image, ulong inode)
    {
        var result = new List<(long, uint, uint, long)>();
        foreach (var line in Lines(Db(image, $"inode {inode}", "bmap")))
        {
            // "data offset 0 startblock 14 (0/14) count 5 flag 0"
            var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length < 8 || tokens[0] != "data")
            {
                continue;
            }

            var agPair = tokens[5].Trim('(', ')').Split('/');
            result.Add((
                long.Parse(tokens[2], CultureInfo.InvariantCulture),
                uint.Parse(agPair[0], CultureInfo.InvariantCulture),
                uint.Parse(agPair[1], CultureInfo.InvariantCulture),
                long.Parse(tokens[7], CultureInfo.InvariantCulture)));
        }

        return result;
    }

    /// <summary>Runs a tool and fails the test, with its output, when it exits non-zero.</summary>
    public static string Run(string tool, params string[] arguments)
    {
        var (exit, stdout, stderr) = Execute(tool, arguments);
        Assert.True(exit == 0, $"{tool} {string.Join(' ', arguments)} exited {exit}: {stderr}{stdout}");
        return stdout;
    }

    public static (int ExitCode, string StandardOutput, string StandardError) Execute(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(Resolve(tool)) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill();
            Assert.Fail($"{tool} {string.Join(' ', arguments)} did not finish in 3 minutes");
        }

        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    public static bool IsInstalled(string tool) => Find(tool) is not null;

    private static string Resolve(string tool)
    {
        var found = Find(tool);
        if (found is null)
        {
            Assert.Fail($"'{tool}' is not installed: these tests need xfsprogs (apt-get install xfsprogs)");
        }

        return found;
    }

    private static string? Find(string tool)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(SystemDirectories))
        {
            var candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
