using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Sms.Agent.Hosting.Tests.Fixups;

/// <summary>Runs the real tools (sfdisk, mkfs.ext4, mkswap, debugfs, e2fsck) on image files, as an administrator would.</summary>
internal static class FixupTools
{
    public const string InstallHint = "apt-get install e2fsprogs fdisk util-linux";

    /// <summary>Runs a tool; fails the test when it is missing or exits non-zero.</summary>
    public static byte[] Run(string tool, string? input, params string[] arguments)
    {
        var (exit, stdout, stderr) = Execute(tool, input, arguments);
        Assert.True(exit == 0, $"{tool} {string.Join(' ', arguments)} exited {exit}: {stderr}");
        return stdout;
    }

    /// <summary>Runs a tool and returns what happened.</summary>
    public static (int ExitCode, byte[] StandardOutput, string StandardError) Execute(string tool, string? input, params string[] arguments)
    {
        var info = new ProcessStartInfo(Locate(tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.Environment["LC_ALL"] = "C";
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (Win32Exception ex)
        {
            Assert.Fail($"'{tool}' is not installed ({InstallHint}): {ex.Message}");
            throw;
        }

        using (process)
        {
            var output = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
            var errors = process.StandardError.ReadToEndAsync();
            if (input is not null)
            {
                process.StandardInput.Write(input);
            }

            process.StandardInput.Close();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), $"{tool} did not finish");
            copy.Wait();
            return (process.ExitCode, output.ToArray(), errors.Result);
        }
    }

    /// <summary>The path of a tool: /sbin and /usr/sbin are not always on a test runner's PATH.</summary>
    public static string Locate(string tool)
    {
        foreach (var directory in (string[])["/usr/sbin", "/sbin", "/usr/bin", "/bin"])
        {
            var path = Path.Combine(directory, tool);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return tool;
    }

    /// <summary>A sparse image file.</summary>
    public static string CreateImage(string path, long length)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        file.SetLength(length);
        return path;
    }

    /// <summary>Partitions an image with sfdisk; returns each partition's start and size in bytes.</summary>
    public static IReadOnlyList<(long Start, long Size)> Partition(string image, string script)
    {
        Run("sfdisk", script, "--quiet", "--no-reread", "--no-tell-kernel", image);
        using var json = JsonDocument.Parse(Run("sfdisk", null, "--json", image));
        var table = json.RootElement.GetProperty("partitiontable");
        var sector = table.TryGetProperty("sectorsize", out var s) ? s.GetInt64() : 512;
        return [.. table.GetProperty("partitions").EnumerateArray().Select(p => (p.GetProperty("start").GetInt64() * sector, p.GetProperty("size").GetInt64() * sector))];
    }

    /// <summary>An ext4 file system made by <c>mkfs.ext4 -d DIR</c> at an offset of an image (no privileges needed).</summary>
    public static void MakeExt4(string image, long offset, long size, string? directory, string uuid, string? label = null, string type = "ext4", IReadOnlyList<string>? options = null)
    {
        var arguments = new List<string> { "-q", "-F", "-t", type, "-U", uuid, "-E", "offset=" + offset.ToString(CultureInfo.InvariantCulture) };
        arguments.AddRange(options ?? []);
        if (directory is not null)
        {
            arguments.AddRange(["-d", directory]);
        }

        if (label is not null)
        {
            arguments.AddRange(["-L", label]);
        }

        arguments.AddRange([image, (size / 1024).ToString(CultureInfo.InvariantCulture) + "k"]);
        Run("mke2fs", null, [.. arguments]);
    }

    /// <summary>Linux swap made by <c>mkswap</c> in a file, copied into the image at an offset.</summary>
    public static void MakeSwap(string image, long offset, long size, string uuid)
    {
        var swap = image + ".swap";
        CreateImage(swap, size);
        Run("mkswap", null, "-U", uuid, swap);
        using (var source = File.OpenRead(swap))
        using (var target = new FileStream(image, FileMode.Open, FileAccess.Write))
        {
            target.Position = offset;
            source.CopyTo(target);
        }

        File.Delete(swap);
    }

    /// <summary>debugfs opened read-only on the file system at an offset: standard output.</summary>
    public static byte[] Debugfs(string image, long offset, string request)
        => Run("debugfs", null, "-R", request, Spec(image, offset));

    /// <summary>debugfs requests in one read-write run; fails the test when debugfs reports an error.</summary>
    public static void DebugfsWrite(string image, long offset, params string[] requests)
    {
        var script = image + "." + Guid.NewGuid().ToString("N") + ".debugfs";
        File.WriteAllLines(script, requests);
        var (_, _, stderr) = Execute("debugfs", null, "-w", "-f", script, Spec(image, offset));
        File.Delete(script);
        var errors = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("debugfs 1.", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, "debugfs: " + string.Join("; ", errors));
    }

    /// <summary>A file's bytes, by <c>debugfs -R "cat PATH"</c>.</summary>
    public static byte[] Cat(string image, long offset, string path) => Debugfs(image, offset, $"cat \"{path}\"");

    /// <summary>A file's text, by <c>debugfs -R "cat PATH"</c>.</summary>
    public static string CatText(string image, long offset, string path) => Encoding.UTF8.GetString(Cat(image, offset, path));

    /// <summary>The entries of a directory, by <c>debugfs -R "ls -p DIR"</c>: name → (mode with type bits, uid, gid).</summary>
    public static Dictionary<string, (int Mode, uint Uid, uint Gid)> List(string image, long offset, string directory)
    {
        var text = Encoding.UTF8.GetString(Debugfs(image, offset, $"ls -p \"{directory}\""));
        var entries = new Dictionary<string, (int, uint, uint)>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split('/');
            if (fields.Length >= 7 && fields[5] is not "." and not "..")
            {
                entries[fields[5]] = (Convert.ToInt32(fields[2], 8), uint.Parse(fields[3], CultureInfo.InvariantCulture), uint.Parse(fields[4], CultureInfo.InvariantCulture));
            }
        }

        return entries;
    }

    /// <summary>Whether a path exists in the image, by <c>debugfs -R "stat PATH"</c>.</summary>
    public static bool Exists(string image, long offset, string path)
    {
        var (_, stdout, _) = Execute("debugfs", null, "-R", $"stat \"{path}\"", Spec(image, offset));
        return stdout.Length > 0;
    }

    /// <summary><c>e2fsck -fn</c> on the file system at an offset: the exit code and what it printed.</summary>
    public static (int ExitCode, string Output) Check(string image, long offset)
    {
        var (exit, stdout, stderr) = Execute("e2fsck", null, "-fn", Spec(image, offset));
        return (exit, Encoding.UTF8.GetString(stdout) + stderr);
    }

    public static string Spec(string image, long offset) => offset == 0 ? image : $"{image}?offset={offset.ToString(CultureInfo.InvariantCulture)}";
}
