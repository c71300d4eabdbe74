using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Sms.Files.Native;

namespace Sms.Files.Target;

/// <summary>
/// Applies an entry's metadata on the target, in the order that keeps every attribute: owner first (chown clears
/// set-id bits and file capabilities), then extended attributes (ACLs among them), then the mode, then the times
/// (last, since the others change ctime only). Without root, owners and privileged attributes are skipped and counted.
/// </summary>
internal static unsafe class MetadataWriter
{
    private static readonly uint s_euid = FileNative.GetEuid();
    private static readonly uint s_egid = FileNative.GetEgid();
    private static readonly uint s_umask = ReadUmask();

    public static bool Privileged => s_euid == 0;

    /// <summary>The group a file created now gets in a directory (its own group when it is set-group-ID).</summary>
    public static uint NewFileGroup(in StatxInfo directory) => (directory.Mode & 0x400) != 0 ? directory.Gid : s_egid;

    /// <summary>The mode bits to create a file with: what umask lets through of the final bits (0600 at least for writing).</summary>
    public static uint CreationMode(uint permissions) => permissions & 0x1FF;

    /// <summary>
    /// On a file this process just created with <see cref="CreationMode"/> in a directory whose new files get
    /// <paramref name="group"/>: the calls that would change nothing are skipped (most files of a tree already have the
    /// receiver's owner and a mode umask lets through).
    /// </summary>
    public static int ApplyToNew(int fd, in MetaView meta, string path, uint group)
    {
        var skipped = 0;
        var chown = meta.Uid != s_euid || meta.Gid != group;
        if (chown && FileNative.FChown(fd, meta.Uid, meta.Gid) != 0)
        {
            skipped += Tolerate("change the owner of", path);
        }

        if (meta.TouchesXattrs)
        {
            skipped += XattrBlock.Apply(fd, null, meta.Xattrs, meta.ReplaceXattrs, Privileged, path);
        }

        var created = CreationMode(meta.Permissions) & ~s_umask;
        if ((chown || meta.TouchesXattrs || created != meta.Permissions || s_umask == uint.MaxValue) && FileNative.FChmod(fd, meta.Permissions) != 0)
        {
            NativeErrors.ThrowTarget("change the mode of", path, FileNative.Errno);
        }

        SetTimes(fd, meta, path);
        return skipped;
    }

    private static void SetTimes(int fd, in MetaView meta, string path)
    {
        var times = stackalloc FileNative.Timespec[2];
        times[0] = meta.Access.ToTimespec();
        times[1] = meta.Modify.ToTimespec();
        if (FileNative.FUtimens(fd, times) != 0)
        {
            NativeErrors.ThrowTarget("set the times of", path, FileNative.Errno);
        }
    }

    /// <summary>This process's umask, from /proc (reading it with umask(2) would change it); all bits when unknown.</summary>
    private static uint ReadUmask()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("Umask:", StringComparison.Ordinal))
                {
                    return Convert.ToUInt32(line[6..].Trim(), 8);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
        }

        return uint.MaxValue;
    }

    /// <summary>On an open regular file or directory.</summary>
    /// <returns>How many attributes could not be applied for lack of privilege.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Apply(int fd, in MetaView meta, string path)
    {
        var skipped = 0;
        if (FileNative.FChown(fd, meta.Uid, meta.Gid) != 0)
        {
            skipped += Tolerate("change the owner of", path);
        }

        if (meta.TouchesXattrs)
        {
            skipped += XattrBlock.Apply(fd, null, meta.Xattrs, meta.ReplaceXattrs, Privileged, path);
        }

        if (FileNative.FChmod(fd, meta.Permissions) != 0)
        {
            NativeErrors.ThrowTarget("change the mode of", path, FileNative.Errno);
        }

        var times = stackalloc FileNative.Timespec[2];
        times[0] = meta.Access.ToTimespec();
        times[1] = meta.Modify.ToTimespec();
        if (FileNative.FUtimens(fd, times) != 0)
        {
            NativeErrors.ThrowTarget("set the times of", path, FileNative.Errno);
        }

        return skipped;
    }

    /// <summary>On an entry that cannot be opened (symbolic link, FIFO, device, socket), by name in its directory, never following it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int ApplyAt(int dirFd, byte* name, in MetaView meta, string path)
    {
        var skipped = 0;
        if (FileNative.FChownAt(dirFd, name, meta.Uid, meta.Gid, FileNative.AtSymlinkNoFollow) != 0)
        {
            skipped += Tolerate("change the owner of", path);
        }

        if (meta.TouchesXattrs)
        {
            // The descriptor's /proc link names the real directory; the final name is not followed (l*xattr).
            var procPath = ProcPath(dirFd, name);
            fixed (byte* p = procPath)
            {
                skipped += XattrBlock.Apply(-1, p, meta.Xattrs, meta.ReplaceXattrs, Privileged, path);
            }
        }

        if (meta.Kind != FileKind.Symlink && FileNative.FChmodAt(dirFd, name, meta.Permissions, FileNative.AtSymlinkNoFollow) != 0)
        {
            NativeErrors.ThrowTarget("change the mode of", path, FileNative.Errno);
        }

        var times = stackalloc FileNative.Timespec[2];
        times[0] = meta.Access.ToTimespec();
        times[1] = meta.Modify.ToTimespec();
        if (FileNative.UtimensAt(dirFd, name, times, FileNative.AtSymlinkNoFollow) != 0)
        {
            NativeErrors.ThrowTarget("set the times of", path, FileNative.Errno);
        }

        return skipped;
    }

    private static byte[] ProcPath(int dirFd, byte* name)
    {
        var prefix = System.Text.Encoding.ASCII.GetBytes($"/proc/self/fd/{dirFd}/");
        var nameSpan = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(name);
        var path = new byte[prefix.Length + nameSpan.Length + 1];
        prefix.CopyTo(path, 0);
        nameSpan.CopyTo(path.AsSpan(prefix.Length));
        return path;
    }

    private static int Tolerate(string what, string path)
    {
        var errno = FileNative.Errno;
        if (!Privileged && errno is Errno.EPERM or Errno.EACCES)
        {
            return 1;
        }

        NativeErrors.ThrowTarget(what, path, errno);
        return 0;
    }
}
