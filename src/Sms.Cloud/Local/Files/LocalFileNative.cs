using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Sms.Cloud.Local.Files;

/// <summary>The Linux calls the local cloud needs and .NET does not expose: FICLONE, SEEK_DATA/SEEK_HOLE, flock.</summary>
internal static class LocalFileNative
{
    // _IOW(0x94, 9, int): the same number on x86-64 and arm64.
    private const nuint Ficlone = 0x40049409;
    private const int SeekData = 3;
    private const int SeekHole = 4;
    private const int Enxio = 6;
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;

    /// <summary>Clones <paramref name="source"/> into the empty <paramref name="destination"/> (reflink); false where the file system cannot.</summary>
    public static bool TryClone(SafeFileHandle destination, SafeFileHandle source)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return NativeMethods.IoctlFiclone(destination, Ficlone, source) == 0;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The ranges of <c>[0, length)</c> that may hold data (SEEK_DATA/SEEK_HOLE); the whole file where unsupported.</summary>
    public static List<(long Offset, long Length)> GetDataRanges(SafeFileHandle handle, long length)
    {
        var ranges = new List<(long Offset, long Length)>();
        if (length <= 0)
        {
            return ranges;
        }

        if (!OperatingSystem.IsLinux())
        {
            ranges.Add((0, length));
            return ranges;
        }

        long position = 0;
        while (position < length)
        {
            var data = NativeMethods.Lseek(handle, position, SeekData);
            if (data < 0)
            {
                if (Marshal.GetLastPInvokeError() == Enxio)
                {
                    break;
                }

                ranges.Clear();
                ranges.Add((0, length));
                return ranges;
            }

            if (data >= length)
            {
                break;
            }

            var hole = NativeMethods.Lseek(handle, data, SeekHole);
            if (hole < 0 || hole > length)
            {
                hole = length;
            }

            ranges.Add((data, hole - data));
            position = hole;
        }

        return ranges;
    }

    /// <summary>Takes an exclusive advisory lock without waiting; false when another open file holds it.</summary>
    public static bool TryLockExclusive(SafeFileHandle handle)
        => !OperatingSystem.IsLinux() || NativeMethods.Flock(handle, LockExclusive | LockNonBlocking) == 0;

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int IoctlFiclone(SafeFileHandle destination, nuint request, SafeFileHandle source);

        [DllImport("libc", EntryPoint = "lseek", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern long Lseek(SafeFileHandle handle, long offset, int whence);

        [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Flock(SafeFileHandle handle, int operation);
    }
}
