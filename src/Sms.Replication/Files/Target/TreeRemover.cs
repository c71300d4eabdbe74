using System.Runtime.InteropServices;
using Sms.Files.Native;

namespace Sms.Files.Target;

/// <summary>Removes an entry of a directory, recursively for a directory, never following a symbolic link.</summary>
internal static unsafe class TreeRemover
{
    /// <summary>Removes <paramref name="name"/> in the directory <paramref name="dirFd"/>; a missing entry is fine.</summary>
    public static void Remove(int dirFd, byte* name, string displayPath)
    {
        if (FileNative.UnlinkAt(dirFd, name, 0) == 0)
        {
            return;
        }

        var errno = FileNative.Errno;
        if (errno == Errno.ENOENT)
        {
            return;
        }

        if (errno is not (Errno.EISDIR or Errno.EPERM))
        {
            NativeErrors.ThrowTarget("remove", displayPath, errno);
        }

        RemoveDirectory(dirFd, name, displayPath);
    }

    /// <summary>Removes everything inside the directory open on <paramref name="fd"/>.</summary>
    public static void Empty(int fd, string displayPath)
    {
        var reader = new DirectoryReader(16 * 1024);
        var names = new List<byte[]>();
        reader.Reset(fd);
        while (reader.TryNext(out var child, out var length, out _, out var errno) || errno != 0)
        {
            if (errno != 0)
            {
                NativeErrors.ThrowTarget("read directory", displayPath, errno);
            }

            var copy = new byte[length + 1];
            new ReadOnlySpan<byte>(child, length).CopyTo(copy);
            names.Add(copy);
        }

        foreach (var child in names)
        {
            fixed (byte* c = child)
            {
                Remove(fd, c, displayPath + "/" + RawPath.FromBytes(child.AsSpan(0, child.Length - 1)));
            }
        }
    }

    private static void RemoveDirectory(int dirFd, byte* name, string displayPath)
    {
        var fd = FileNative.OpenAt(dirFd, name, FileNative.ORdOnly | FileNative.ODirectory | FileNative.ONoFollow | FileNative.OCloExec, 0);
        if (fd < 0)
        {
            var errno = FileNative.Errno;
            if (errno == Errno.ENOENT)
            {
                return;
            }

            NativeErrors.ThrowTarget("open directory", displayPath, errno);
        }

        try
        {
            Empty(fd, displayPath);
        }
        finally
        {
            FileNative.CloseQuietly(fd);
        }

        if (FileNative.UnlinkAt(dirFd, name, FileNative.AtRemoveDir) != 0 && FileNative.Errno != Errno.ENOENT)
        {
            NativeErrors.ThrowTarget("remove directory", displayPath, FileNative.Errno);
        }
    }

    /// <summary>A NUL-terminated copy of a name, for the calls above.</summary>
    public static byte[] NameBytes(ReadOnlySpan<char> name)
    {
        var bytes = new byte[name.Length + 1];
        RawPath.GetBytes(name, bytes);
        return bytes;
    }

    internal static string Text(byte* name) => RawPath.FromBytes(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(name));
}
