using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Sms.Fixups;

/// <summary>The two Linux calls .NET has no API for: <c>statx</c> without following links (for owner and group) and <c>lchown</c>.</summary>
internal static class NativeMethods
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7FF;
    private const int StatxSize = 256;
    private const int ENOENT = 2;
    private const int ENOTDIR = 20;

    /// <summary>The type and permission bits, owner, group and size of an entry, without following a final link.</summary>
    /// <param name="path">The host path.</param>
    /// <returns>The fields, or <see langword="null"/> when nothing is there.</returns>
    /// <exception cref="IOException">The call failed for another reason.</exception>
    public static (int Mode, uint Uid, uint Gid, long Size)? LStat(string path)
    {
        var buffer = new byte[StatxSize];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is ENOENT or ENOTDIR)
            {
                return null;
            }

            throw new IOException($"statx '{path}' failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }

        // struct statx: 20 stx_uid, 24 stx_gid, 28 stx_mode (16 bits), 40 stx_size; the same on every architecture.
        return (
            BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(28)),
            BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(20)),
            BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(24)),
            (long)BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(40)));
    }

    /// <summary>Sets the owner and group of an entry without following a final link.</summary>
    /// <param name="path">The host path.</param>
    /// <param name="uid">The owner.</param>
    /// <param name="gid">The group.</param>
    /// <exception cref="IOException">The call failed (not permitted without privileges, for example).</exception>
    public static void LChown(string path, uint uid, uint gid)
    {
        if (LChownNative(path, uid, gid) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"lchown '{path}' to {uid}:{gid} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);

    [DllImport("libc", EntryPoint = "lchown", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int LChownNative([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint owner, uint group);
}
