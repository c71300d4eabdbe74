using System.Text;

namespace Sms.Files.Native;

/// <summary>Path-based conveniences over <see cref="FileNative"/> for callers that hold .NET strings (UTF-8 paths).</summary>
internal static unsafe class NativeQueries
{
    /// <summary><c>statx</c> without following a final symbolic link; <see langword="null"/> when the path does not exist.</summary>
    public static StatxInfo? Lstat(string path)
    {
        Span<byte> buffer = stackalloc byte[StatxInfo.BufferSize];
        fixed (byte* p = Bytes(path))
        fixed (byte* b = buffer)
        {
            return FileNative.Statx(FileNative.AtFdCwd, p, FileNative.AtSymlinkNoFollow, FileNative.StatxBasicStats, b) == 0 ? StatxInfo.Parse(buffer) : null;
        }
    }

    /// <summary>The extended attributes of a path (not following a final symbolic link) as a canonical block.</summary>
    public static byte[]? Xattrs(string path)
    {
        fixed (byte* p = Bytes(path))
        {
            return XattrBlock.Read(-1, p, RawPath.FromText(path));
        }
    }

    /// <summary>Sets access and modification times with nanoseconds, not following a final symbolic link.</summary>
    public static void SetTimes(string path, FileTime access, FileTime modify)
    {
        var times = stackalloc FileNative.Timespec[2];
        times[0] = access.ToTimespec();
        times[1] = modify.ToTimespec();
        fixed (byte* p = Bytes(path))
        {
            Check(FileNative.UtimensAt(FileNative.AtFdCwd, p, times, FileNative.AtSymlinkNoFollow), "utimensat", path);
        }
    }

    /// <summary>Changes the owner, not following a final symbolic link.</summary>
    public static void LChown(string path, uint uid, uint gid)
    {
        fixed (byte* p = Bytes(path))
        {
            Check(FileNative.FChownAt(FileNative.AtFdCwd, p, uid, gid, FileNative.AtSymlinkNoFollow), "lchown", path);
        }
    }

    /// <summary>Creates a hard link.</summary>
    public static void Link(string existing, string path)
    {
        fixed (byte* e = Bytes(existing))
        fixed (byte* p = Bytes(path))
        {
            Check(FileNative.LinkAt(FileNative.AtFdCwd, e, FileNative.AtFdCwd, p, 0), "link", path);
        }
    }

    /// <summary>Creates a FIFO, socket or device node.</summary>
    public static void MkNod(string path, FileKind kind, uint permissions, uint major = 0, uint minor = 0)
    {
        fixed (byte* p = Bytes(path))
        {
            Check(FileNative.MkNodAt(FileNative.AtFdCwd, p, StatxInfo.TypeBits(kind) | permissions, FileNative.MakeDev(major, minor)), "mknod", path);
        }
    }

    /// <summary>Sets an extended attribute (not following a final symbolic link).</summary>
    public static void SetXattr(string path, string name, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = Bytes(path))
        fixed (byte* n = Bytes(name))
        fixed (byte* v = value)
        {
            Check(FileNative.LSetXattr(p, n, v, value.Length, 0), "lsetxattr", path);
        }
    }

    /// <summary>Removes an extended attribute (not following a final symbolic link).</summary>
    public static void RemoveXattr(string path, string name)
    {
        fixed (byte* p = Bytes(path))
        fixed (byte* n = Bytes(name))
        {
            Check(FileNative.LRemoveXattr(p, n), "lremovexattr", path);
        }
    }

    /// <summary>Reads a whole file without touching its access time (where allowed).</summary>
    public static byte[] ReadAll(string path)
    {
        fixed (byte* p = Bytes(path))
        {
            var fd = Source.Walker.OpenNoAtime(FileNative.AtFdCwd, p, FileNative.ORdOnly | FileNative.ONoFollow | FileNative.OCloExec | FileNative.ONonBlock);
            if (fd < 0)
            {
                throw new IOException($"open '{path}' failed: {Errno.Describe(FileNative.Errno)}");
            }

            try
            {
                var length = FileNative.LSeek(fd, 0, 2);
                var data = GC.AllocateUninitializedArray<byte>((int)length);
                fixed (byte* d = data)
                {
                    var done = 0L;
                    while (done < length)
                    {
                        var n = FileNative.PRead(fd, d + done, (nint)(length - done), done);
                        if (n <= 0)
                        {
                            break;
                        }

                        done += n;
                    }
                }

                return data;
            }
            finally
            {
                FileNative.CloseQuietly(fd);
            }
        }
    }

    /// <summary>The names in a directory, read with <c>getdents64</c> (no entry is stat'ed or followed).</summary>
    public static List<string> List(string directory)
    {
        var names = new List<string>();
        fixed (byte* p = Bytes(directory))
        {
            var fd = Source.Walker.OpenNoAtime(FileNative.AtFdCwd, p, FileNative.ORdOnly | FileNative.ODirectory | FileNative.OCloExec);
            if (fd < 0)
            {
                throw new IOException($"open '{directory}' failed: {Errno.Describe(FileNative.Errno)}");
            }

            try
            {
                var reader = new DirectoryReader(16 * 1024);
                reader.Reset(fd);
                while (reader.TryNext(out var name, out var length, out _, out _))
                {
                    names.Add(Encoding.UTF8.GetString(name, length));
                }
            }
            finally
            {
                FileNative.CloseQuietly(fd);
            }
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    private static byte[] Bytes(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    private static void Check(int rc, string call, string path)
    {
        if (rc != 0)
        {
            throw new IOException($"{call} '{path}' failed: {Errno.Describe(FileNative.Errno)}");
        }
    }
}
