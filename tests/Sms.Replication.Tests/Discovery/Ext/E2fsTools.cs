using System.ComponentModel;
using System.Diagnostics;

namespace Sms.Replication.Tests.Discovery.Ext;

/// <summary>Runs e2fsprogs (mkfs.ext2/3/4, dumpe2fs, debugfs, e2fsck) on image files.</summary>
internal static class E2fsTools
{
    /// <summary>A sparse file of <paramref name="size"/> bytes formatted with <c>TOOL -q -F</c>, the arguments and the image.</summary>
    public static void MakeFileSystem(string tool, string image, long size, IReadOnlyList<string> arguments)
    {
        using (var handle = File.OpenHandle(image, FileMode.Create, FileAccess.ReadWrite))
        {
            RandomAccess.SetLength(handle, size);
        }

        Run(tool, ["-q", "-F", .. arguments, image]);
    }

    /// <summary><c>dumpe2fs IMAGE</c> (header and groups).</summary>
    public static string Dumpe2fs(string image) => Run("dumpe2fs", [image]);

    /// <summary><c>dumpe2fs -h IMAGE</c> (header only).</summary>
    public static string Dumpe2fsHeader(string image) => Run("dumpe2fs", ["-h", image]);

    /// <summary><c>debugfs -w -R COMMAND IMAGE</c>; debugfs exits 0 even when a command fails, so stderr is returned.</summary>
    public static string DebugfsWrite(string image, string command) => Execute("debugfs", ["-w", "-R", command, image]).StandardError;

    /// <summary><c>debugfs -w -f SCRIPT IMAGE</c> with the commands, one a line; returns stderr.</summary>
    public static string DebugfsWriteScript(string image, params string[] commands)
    {
        var script = image + ".debugfs";
        File.WriteAllLines(script, commands);
        return Execute("debugfs", ["-w", "-f", script, image]).StandardError;
    }

    /// <summary><c>debugfs -R COMMAND IMAGE</c> (read-only).</summary>
    public static string Debugfs(string image, string command) => Run("debugfs", ["-R", command, image]);

    /// <summary><c>e2fsck -fn IMAGE</c>: the exit code and everything it printed.</summary>
    public static (int ExitCode, string Output) CheckReadOnly(string image)
    {
        var (exit, stdout, stderr) = Execute("e2fsck", ["-fn", image]);
        return (exit, stdout + stderr);
    }

    /// <summary>Runs a tool and fails the test when it exits with an error.</summary>
    public static string Run(string tool, IReadOnlyList<string> arguments)
    {
        var (exit, stdout, stderr) = Execute(tool, arguments);
        Assert.True(exit == 0, $"{tool} {string.Join(' ', arguments)} exited {exit}: {stderr}");
        return stdout;
    }

    /// <summary>Runs a tool; fails the test, naming the package to install, when the tool is missing.</summary>
    public static (int ExitCode, string StandardOutput, string StandardError) Execute(string tool, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(Locate(tool)) { RedirectStandardOutput = true, RedirectStandardError = true };
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
            Assert.Fail($"'{tool}' is not installed; install it with `apt-get install e2fsprogs` ({ex.Message})");
            throw;
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout.Result, stderr);
        }
    }

    /// <summary>The tools live in /sbin or /usr/sbin, which are not always on a test runner's PATH.</summary>
    private static string Locate(string tool)
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
}
