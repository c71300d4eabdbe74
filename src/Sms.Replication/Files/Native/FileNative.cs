using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sms.Files.Native;

/// <summary>
/// The Linux calls of file-level replication, on raw descriptors and NUL-terminated byte paths (file names are
/// bytes on Linux, not necessarily UTF-8). Everything is relative to a directory descriptor where the kernel allows
/// it, so that no path is ever resolved through a symbolic link by accident.
/// </summary>
internal static unsafe partial class FileNative
{
    public const int AtFdCwd = -100;
    public const int AtSymlinkNoFollow = 0x100;
    public const int AtRemoveDir = 0x200;
    public const int AtSymlinkFollow = 0x400;
    public const int AtNoAutomount = 0x800;
    public const int AtEmptyPath = 0x1000;

    public const int ORdOnly = 0x0;
    public const int OWrOnly = 0x1;
    public const int ORdWr = 0x2;
    public const int OCreat = 0x40;
    public const int OExcl = 0x80;
    public const int ONoCtty = 0x100;
    public const int OTrunc = 0x200;
    public const int ONonBlock = 0x800;
    public const int ONoAtime = 0x40000;
    public const int OCloExec = 0x80000;
    public const int OPath = 0x200000;

    // Three flags differ between x86 (its own values) and arm/arm64 (the generic ones); the rest are the same.
    private static readonly bool s_genericOpenFlags = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;
    public static readonly int ODirectory = s_genericOpenFlags ? 0x4000 : 0x10000;
    public static readonly int ONoFollow = s_genericOpenFlags ? 0x8000 : 0x20000;
    public static readonly int ODirect = s_genericOpenFlags ? 0x10000 : 0x4000;
    public static readonly int OTmpFile = 0x400000 | ODirectory;

    public const uint StatxBasicStats = 0x7FF;

    public const int SeekData = 3;
    public const int SeekHole = 4;
    public const int FallocKeepSize = 0x01;
    public const int FallocPunchHole = 0x02;

    public const int XattrCreate = 0x1;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    public static partial int Open(byte* path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true)]
    public static partial int OpenAt(int dirfd, byte* path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    public static partial nint PRead(int fd, byte* buffer, nint count, long offset);

    [LibraryImport("libc", EntryPoint = "pwrite", SetLastError = true)]
    public static partial nint PWrite(int fd, byte* buffer, nint count, long offset);

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    public static partial long LSeek(int fd, long offset, int whence);

    [LibraryImport("libc", EntryPoint = "ftruncate", SetLastError = true)]
    public static partial int FTruncate(int fd, long length);

    [LibraryImport("libc", EntryPoint = "fallocate", SetLastError = true)]
    public static partial int FAllocate(int fd, int mode, long offset, long length);

    [LibraryImport("libc", EntryPoint = "copy_file_range", SetLastError = true)]
    public static partial nint CopyFileRange(int fdIn, long* offIn, int fdOut, long* offOut, nint length, uint flags);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    public static partial int SyncFs(int fd);

    [LibraryImport("libc", EntryPoint = "getdents64", SetLastError = true)]
    public static partial nint GetDents64(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    public static partial int Statx(int dirfd, byte* path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "readlinkat", SetLastError = true)]
    public static partial nint ReadLinkAt(int dirfd, byte* path, byte* buffer, nint size);

    [LibraryImport("libc", EntryPoint = "mkdirat", SetLastError = true)]
    public static partial int MkDirAt(int dirfd, byte* path, uint mode);

    [LibraryImport("libc", EntryPoint = "mknodat", SetLastError = true)]
    public static partial int MkNodAt(int dirfd, byte* path, uint mode, ulong dev);

    [LibraryImport("libc", EntryPoint = "symlinkat", SetLastError = true)]
    public static partial int SymlinkAt(byte* target, int dirfd, byte* path);

    [LibraryImport("libc", EntryPoint = "linkat", SetLastError = true)]
    public static partial int LinkAt(int oldDirfd, byte* oldPath, int newDirfd, byte* newPath, int flags);

    [LibraryImport("libc", EntryPoint = "renameat", SetLastError = true)]
    public static partial int RenameAt(int oldDirfd, byte* oldPath, int newDirfd, byte* newPath);

    [LibraryImport("libc", EntryPoint = "unlinkat", SetLastError = true)]
    public static partial int UnlinkAt(int dirfd, byte* path, int flags);

    [LibraryImport("libc", EntryPoint = "fchown", SetLastError = true)]
    public static partial int FChown(int fd, uint uid, uint gid);

    [LibraryImport("libc", EntryPoint = "fchownat", SetLastError = true)]
    public static partial int FChownAt(int dirfd, byte* path, uint uid, uint gid, int flags);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    public static partial int FChmod(int fd, uint mode);

    [LibraryImport("libc", EntryPoint = "fchmodat", SetLastError = true)]
    public static partial int FChmodAt(int dirfd, byte* path, uint mode, int flags);

    [LibraryImport("libc", EntryPoint = "futimens", SetLastError = true)]
    public static partial int FUtimens(int fd, Timespec* times);

    [LibraryImport("libc", EntryPoint = "utimensat", SetLastError = true)]
    public static partial int UtimensAt(int dirfd, byte* path, Timespec* times, int flags);

    [LibraryImport("libc", EntryPoint = "flistxattr", SetLastError = true)]
    public static partial nint FListXattr(int fd, byte* list, nint size);

    [LibraryImport("libc", EntryPoint = "llistxattr", SetLastError = true)]
    public static partial nint LListXattr(byte* path, byte* list, nint size);

    [LibraryImport("libc", EntryPoint = "fgetxattr", SetLastError = true)]
    public static partial nint FGetXattr(int fd, byte* name, byte* value, nint size);

    [LibraryImport("libc", EntryPoint = "lgetxattr", SetLastError = true)]
    public static partial nint LGetXattr(byte* path, byte* name, byte* value, nint size);

    [LibraryImport("libc", EntryPoint = "fsetxattr", SetLastError = true)]
    public static partial int FSetXattr(int fd, byte* name, byte* value, nint size, int flags);

    [LibraryImport("libc", EntryPoint = "lsetxattr", SetLastError = true)]
    public static partial int LSetXattr(byte* path, byte* name, byte* value, nint size, int flags);

    [LibraryImport("libc", EntryPoint = "fremovexattr", SetLastError = true)]
    public static partial int FRemoveXattr(int fd, byte* name);

    [LibraryImport("libc", EntryPoint = "lremovexattr", SetLastError = true)]
    public static partial int LRemoveXattr(byte* path, byte* name);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial nint Syscall(nint number, nint a1, nint a2, nint a3, nint a4, nint a5);

    /// <summary>The <c>listxattrat</c> system call (Linux 6.13+, the same number on x86-64 and arm64); ENOSYS before.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static nint ListXattrAt(int dirfd, byte* path, int flags, byte* list, nint size)
        => OperatingSystem.IsLinux() && (System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture is System.Runtime.InteropServices.Architecture.X64 or System.Runtime.InteropServices.Architecture.Arm64)
            ? Syscall(465, dirfd, (nint)path, flags, (nint)list, size)
            : NoSys();

    /// <summary>
    /// A second descriptor on an open file (an O_TMPFILE one included) that writes past the page cache (O_DIRECT);
    /// -1 where the file system refuses direct I/O.
    /// </summary>
    public static int ReopenForDirectWrite(int fd)
    {
        Span<byte> path = stackalloc byte[32];
        "/proc/self/fd/"u8.CopyTo(path);
        if (!System.Buffers.Text.Utf8Formatter.TryFormat(fd, path[14..^1], out var digits))
        {
            return -1;
        }

        path[14 + digits] = 0;
        fixed (byte* p = path)
        {
            return Open(p, OWrOnly | OCloExec | ODirect, 0);
        }
    }

    private static nint NoSys()
    {
        Marshal.SetLastPInvokeError(38);
        return -1;
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEuid();

    [LibraryImport("libc", EntryPoint = "getegid")]
    public static partial uint GetEgid();

    /// <summary>"" for the <c>AT_EMPTY_PATH</c> calls.</summary>
    public static byte* EmptyPath => (byte*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref MemoryMarshal.GetReference("\0"u8));

    /// <summary>The last error of a call made through this class.</summary>
    public static int Errno => Marshal.GetLastPInvokeError();

    /// <summary>Closes a descriptor, ignoring errors (for cleanup paths).</summary>
    public static void CloseQuietly(int fd)
    {
        if (fd >= 0)
        {
            _ = Close(fd);
        }
    }

    /// <summary>glibc's <c>makedev</c>.</summary>
    public static ulong MakeDev(uint major, uint minor)
        => ((ulong)(major & 0xFFFFF000u) << 32) | ((ulong)(major & 0xFFFu) << 8) | ((ulong)(minor & 0xFFFFFF00u) << 12) | (minor & 0xFFu);

    /// <summary><c>struct timespec</c> on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
