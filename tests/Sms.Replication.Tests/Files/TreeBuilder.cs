using System.Diagnostics;
using Sms.Files;
using Sms.Files.Native;

namespace Sms.Replication.Tests.Files;

/// <summary>Creates entries of every kind, with exact owners, modes, nanosecond times and extended attributes.</summary>
public static class TreeBuilder
{
    public static bool IsRoot { get; } = FileNative.GetEuid() == 0;

    public static string File(string path, string text) => Bytes(path, System.Text.Encoding.UTF8.GetBytes(text));

    public static string Bytes(string path, byte[] data)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, data);
        return path;
    }

    public static string Random(string path, int size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return Bytes(path, data);
    }

    /// <summary>A file of <paramref name="size"/> bytes that holds data only in the given ranges (holes elsewhere).</summary>
    public static string Sparse(string path, long size, params long[] dataOffsets)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        stream.SetLength(size);
        var block = new byte[8192];
        new Random((int)size).NextBytes(block);
        foreach (var offset in dataOffsets)
        {
            stream.Position = offset;
            stream.Write(block, 0, (int)Math.Min(block.Length, size - offset));
        }

        return path;
    }

    public static string Dir(string path)
    {
        Directory.CreateDirectory(path);
        return path;
    }

    public static string Symlink(string path, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.CreateSymbolicLink(path, target);
        return path;
    }

    public static string HardLink(string existing, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        NativeQueries.Link(existing, path);
        return path;
    }

    public static string Node(string path, FileKind kind, uint mode = 0x1A0, uint major = 0, uint minor = 0)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        NativeQueries.MkNod(path, kind, mode, major, minor);
        return path;
    }

    public static void Mode(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsLinux())
        {
            System.IO.File.SetUnixFileMode(path, mode);
        }
    }

    public static void Owner(string path, uint uid, uint gid) => NativeQueries.LChown(path, uid, gid);

    public static void Times(string path, long accessSeconds, uint accessNanoseconds, long modifySeconds, uint modifyNanoseconds)
        => NativeQueries.SetTimes(path, new FileTime(accessSeconds, accessNanoseconds), new FileTime(modifySeconds, modifyNanoseconds));

    public static void Xattr(string path, string name, byte[] value) => NativeQueries.SetXattr(path, name, value);

    public static void Xattr(string path, string name, string value) => Xattr(path, name, System.Text.Encoding.UTF8.GetBytes(value));

    /// <summary>Every path under a root (not the root), never following symbolic links.</summary>
    public static List<string> AllPaths(string root)
    {
        var paths = new List<string>();
        foreach (var name in NativeQueries.List(root))
        {
            var child = Path.Combine(root, name);
            paths.Add(child);
            if (NativeQueries.Lstat(child) is { Kind: FileKind.Directory })
            {
                paths.AddRange(AllPaths(child));
            }
        }

        return paths;
    }

    /// <summary>Runs a tool; <see langword="null"/> when it is not installed.</summary>
    public static string? Run(string tool, string workingDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} failed: {error}");
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
