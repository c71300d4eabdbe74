using System.ComponentModel;
using System.Diagnostics;

namespace Sms.Replication.Tests.Discovery.Fat;

/// <summary>What a tool printed and how it exited.</summary>
public sealed record ToolResult(int ExitCode, string Output, string Error);

/// <summary>
/// Runs the file-system tools the discovery tests compare against (dosfstools, mtools, ntfs-3g, btrfs-progs,
/// util-linux, lvm2). A missing tool fails the test with the Debian package to install.
/// </summary>
public static class DiskTool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Whether a tool is installed (on the PATH, or in /usr/sbin or /sbin).</summary>
    public static bool IsInstalled(string tool) => Find(tool) is not null;

    /// <summary>Whether the tests run as root (loop devices need it).</summary>
    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>Runs a tool and returns whatever it did.</summary>
    public static ToolResult Run(string tool, string package, params string[] arguments)
    {
        var info = new ProcessStartInfo(Resolve(tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["MTOOLS_SKIP_CHECK"] = "1";
        info.Environment["LVM_SUPPRESS_FD_WARNINGS"] = "1";
        info.Environment["LC_ALL"] = "C";
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"'{tool}' is not installed (apt-get install {package}): {ex.Message}", ex);
        }

        using (process)
        {
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{tool} {string.Join(' ', arguments)} did not finish in {Timeout}");
            }

            return new ToolResult(process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
        }
    }

    /// <summary>Runs a tool; fails the test when it exits non-zero.</summary>
    public static string RunChecked(string tool, string package, params string[] arguments)
    {
        var result = Run(tool, package, arguments);
        Assert.True(result.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} exited {result.ExitCode}: {result.Error}{result.Output}");
        return result.Output;
    }

    private static string Resolve(string tool) => Find(tool) ?? tool;

    private static string? Find(string tool)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/sbin").Append("/sbin"))
        {
            var candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
