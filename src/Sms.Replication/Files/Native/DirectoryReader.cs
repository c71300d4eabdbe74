using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sms.Files.Native;

/// <summary>
/// Reads a directory's entries with <c>getdents64</c> into a pinned buffer, yielding each name as a NUL-terminated
/// pointer that the <c>*at</c> calls take as is. One instance per thread; <see cref="Reset"/> before each directory.
/// </summary>
internal sealed unsafe class DirectoryReader
{
    public const byte TypeUnknown = 0;
    public const byte TypeDirectory = 4;

    private const int NameOffset = 19;
    private readonly byte[] _buffer;
    private readonly byte* _base;
    private int _fd = -1;
    private int _length;
    private int _position;

    public DirectoryReader(int bufferSize = 64 * 1024)
    {
        _buffer = GC.AllocateUninitializedArray<byte>(bufferSize, pinned: true);
        _base = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_buffer));
    }

    /// <summary>Starts reading the directory open on <paramref name="fd"/>.</summary>
    public void Reset(int fd)
    {
        _ = FileNative.LSeek(fd, 0, 0); // from the start, even if the descriptor was read before
        _fd = fd;
        _length = 0;
        _position = 0;
    }

    /// <summary>The next entry other than <c>.</c> and <c>..</c>.</summary>
    /// <param name="name">The NUL-terminated name; valid until the next call.</param>
    /// <param name="nameLength">Its length without the NUL.</param>
    /// <param name="type">The <c>d_type</c> (may be <see cref="TypeUnknown"/>).</param>
    /// <param name="errno">The error of <c>getdents64</c>, when it failed.</param>
    /// <returns><see langword="false"/> at the end, or on an error (then <paramref name="errno"/> is set).</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryNext(out byte* name, out int nameLength, out byte type, out int errno)
    {
        errno = 0;
        while (true)
        {
            if (_position >= _length)
            {
                var n = FileNative.GetDents64(_fd, _base, _buffer.Length);
                if (n <= 0)
                {
                    errno = n < 0 ? FileNative.Errno : 0;
                    name = null;
                    nameLength = 0;
                    type = 0;
                    return false;
                }

                _length = (int)n;
                _position = 0;
            }

            var entry = _base + _position;
            _position += *(ushort*)(entry + 16);
            type = entry[18];
            name = entry + NameOffset;
            nameLength = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(name).Length;
            if ((nameLength == 1 && name[0] == (byte)'.') || (nameLength == 2 && name[0] == (byte)'.' && name[1] == (byte)'.'))
            {
                continue;
            }

            return true;
        }
    }
}
