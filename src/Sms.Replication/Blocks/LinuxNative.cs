using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Sms.Blocks;

/// <summary>The few Linux calls .NET does not expose: SEEK_DATA/SEEK_HOLE, block-device size and sector size, punching holes, fdatasync.</summary>
internal static partial class LinuxNative
{
    private const int SeekData = 3;
    private const int SeekHole = 4;
    private const int SeekEnd = 2;
    private const int Enxio = 6;
    private const int FallocFlKeepSize = 0x01;
    private const int FallocFlPunchHole = 0x02;
    private const ulong BlkSszGet = 0x1268;

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static partial long Lseek(SafeFileHandle fd, long offset, int whence);

    [LibraryImport("libc", EntryPoint = "fallocate", SetLastError = true)]
    private static partial int Fallocate(SafeFileHandle fd, int mode, long offset, long length);

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int FdataSync(SafeFileHandle fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "pwrite", SetLastError = true)]
    private static unsafe partial nint PWrite(SafeFileHandle fd, byte* buffer, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int IoctlInt(SafeFileHandle fd, ulong request, out int value);

    public static bool IsLinux => OperatingSystem.IsLinux();

    /// <summary>The size of a file or block device, by seeking to its end (block devices report 0 in stat).</summary>
    public static long GetSize(SafeFileHandle handle)
    {
        var length = RandomAccess.GetLength(handle);
        if (length > 0 || !IsLinux)
        {
            return length;
        }

        var end = Lseek(handle, 0, SeekEnd);
        return end < 0 ? 0 : end;
    }

    /// <summary>The logical sector size of a block device, or <paramref name="fallback"/>.</summary>
    public static int GetSectorSize(SafeFileHandle handle, int fallback)
    {
        if (!IsLinux)
        {
            return fallback;
        }

        return IoctlInt(handle, BlkSszGet, out var size) == 0 && size > 0 ? size : fallback;
    }

    /// <summary>
    /// The data ranges of a file by SEEK_DATA/SEEK_HOLE, within <c>[0, length)</c>; the whole file where the file
    /// system does not support them.
    /// </summary>
    public static List<BlockRange> GetDataRanges(SafeFileHandle handle, long length)
    {
        var ranges = new List<BlockRange>();
        if (length <= 0)
        {
            return ranges;
        }

        if (!IsLinux)
        {
            ranges.Add(new BlockRange(0, length));
            return ranges;
        }

        long position = 0;
        while (position < length)
        {
            var data = Lseek(handle, position, SeekData);
            if (data < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Enxio)
                {
                    break; // no data after position
                }

                // Not supported (EINVAL on some devices and file systems): everything may hold data.
                ranges.Clear();
                ranges.Add(new BlockRange(0, length));
                return ranges;
            }

            if (data >= length)
            {
                break;
            }

            var hole = Lseek(handle, data, SeekHole);
            if (hole < 0 || hole > length)
            {
                hole = length;
            }

            ranges.Add(BlockRange.FromBounds(data, hole));
            position = hole;
        }

        return ranges;
    }

    /// <summary>Deallocates a range so that it reads as zeros; false where the file system cannot.</summary>
    public static bool TryPunchHole(SafeFileHandle handle, long offset, long length)
        => IsLinux && Fallocate(handle, FallocFlPunchHole | FallocFlKeepSize, offset, length) == 0;

    /// <summary>The alignment of offsets, lengths and buffers that direct I/O needs on any device we write to.</summary>
    public const int DirectIoAlignment = 4096;

    /// <summary>
    /// The index in a pinned array from which, after <paramref name="lead"/> bytes, the data is aligned for direct I/O
    /// (the array needs <see cref="DirectIoAlignment"/> bytes of room for it).
    /// </summary>
    public static unsafe int AlignedStart(byte[] pinned, int lead = 0)
    {
        const int Mask = DirectIoAlignment - 1;
        var address = (nint)System.Runtime.CompilerServices.Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));
        return (int)((Mask + 1 - ((address + lead) & Mask)) & Mask);
    }

    /// <summary>
    /// Opens <paramref name="path"/> for writing with O_DIRECT (past the page cache); null where the platform or the
    /// file system does not support it (tmpfs on older kernels, for one).
    /// </summary>
    public static SafeFileHandle? TryOpenDirectForWrite(string path)
    {
        if (!IsLinux)
        {
            return null;
        }

        var fd = Open(path, Files.Native.FileNative.OWrOnly | Files.Native.FileNative.OCloExec | Files.Native.FileNative.ODirect);
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>One pwrite call: the bytes written, or -errno.</summary>
    public static unsafe long PWriteOnce(SafeFileHandle handle, byte* buffer, int count, long offset)
    {
        var written = PWrite(handle, buffer, (nuint)count, offset);
        return written >= 0 ? written : -Marshal.GetLastPInvokeError();
    }

    /// <summary>fdatasync, or a full flush where it is not available.</summary>
    public static void DataSync(SafeFileHandle handle)
    {
        if (!IsLinux || FdataSync(handle) != 0)
        {
            RandomAccess.FlushToDisk(handle);
        }
    }

    /// <summary>This boot's id: a reboot (or power loss) since a pass started shows as a different id.</summary>
    public static string GetBootId()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
