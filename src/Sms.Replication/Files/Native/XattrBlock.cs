using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sms.Files.Native;

/// <summary>
/// Extended attributes (POSIX ACLs included: <c>system.posix_acl_access</c> and <c>_default</c>, copied raw) as one
/// canonical block: <c>u16 count</c>, then per attribute, sorted by name, <c>u8 nameLength, name, u32 valueLength,
/// value</c> (big-endian). Reading uses a per-thread scratch; an entry without attributes has no block at all.
/// </summary>
internal static unsafe class XattrBlock
{
    /// <summary>The largest block accepted (Linux allows 64 KiB of names and 64 KiB per value).</summary>
    public const int MaxBlockSize = 1 << 20;

    private const int ScratchSize = 64 * 1024 + 1;

    [ThreadStatic]
    private static Scratch? t_scratch;

    private static volatile bool s_noListXattrAt;

    /// <summary>A digest of a block; 0 for none.</summary>
    public static ulong Digest(ReadOnlySpan<byte> block) => block.IsEmpty ? 0 : XxHash64.HashToUInt64(block) | 1;

    /// <summary>
    /// Reads the attributes of <paramref name="name"/> in the directory <paramref name="dirFd"/>: one
    /// <c>listxattrat</c> (no path walk) tells whether there are any; only then are the values read by full path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static byte[]? ReadAt(int dirFd, byte* name, byte* fullPath, string displayPath)
    {
        if (!s_noListXattrAt)
        {
            var scratch = t_scratch ??= new Scratch();
            var n = FileNative.ListXattrAt(dirFd, name, FileNative.AtSymlinkNoFollow, scratch.List, ScratchSize);
            if (n == 0)
            {
                return null;
            }

            if (n < 0)
            {
                var errno = FileNative.Errno;
                if (errno is Errno.EOPNOTSUPP)
                {
                    return null;
                }

                if (errno is Errno.ENOSYS or Errno.EPERM or Errno.EINVAL)
                {
                    s_noListXattrAt = true; // an older kernel (or a seccomp filter): paths from now on
                }
                else
                {
                    NativeErrors.ThrowSource("list the extended attributes of", displayPath, errno);
                }
            }
        }

        return Read(-1, fullPath, displayPath);
    }

    /// <summary>Reads the attributes of an open descriptor (<paramref name="fd"/> ≥ 0) or of a path, without following a final symlink.</summary>
    /// <returns>The block, or <see langword="null"/> when there are none (or the file system has no xattrs).</returns>
    /// <exception cref="SmsException">Listing or reading failed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static byte[]? Read(int fd, byte* path, string displayPath)
    {
        var scratch = t_scratch ??= new Scratch();
        var list = scratch.List;
        var n = fd >= 0 ? FileNative.FListXattr(fd, list, ScratchSize) : FileNative.LListXattr(path, list, ScratchSize);
        if (n < 0)
        {
            var errno = FileNative.Errno;
            if (errno is Errno.EOPNOTSUPP or Errno.ENOSYS)
            {
                return null;
            }

            NativeErrors.ThrowSource("list the extended attributes of", displayPath, errno);
        }

        if (n == 0)
        {
            return null;
        }

        // Names, NUL-separated; sorted so that the same set always gives the same block.
        var names = new List<(int Offset, int Length)>();
        for (var i = 0; i < n;)
        {
            var length = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(list + i).Length;
            if (length > 0)
            {
                names.Add((i, length));
            }

            i += length + 1;
        }

        var listCopy = new ReadOnlySpan<byte>(list, (int)n).ToArray();
        names.Sort((a, b) => listCopy.AsSpan(a.Offset, a.Length).SequenceCompareTo(listCopy.AsSpan(b.Offset, b.Length)));
        var output = new List<byte>(256);
        Span<byte> word = stackalloc byte[4];
        var count = 0;
        foreach (var (offset, length) in names)
        {
            var value = scratch.Value;
            var size = fd >= 0 ? FileNative.FGetXattr(fd, list + offset, value, ScratchSize) : FileNative.LGetXattr(path, list + offset, value, ScratchSize);
            if (size < 0)
            {
                var errno = FileNative.Errno;
                if (errno == Errno.ENODATA)
                {
                    continue; // removed since the listing
                }

                NativeErrors.ThrowSource("read the extended attributes of", displayPath, errno);
            }

            if (length > 255)
            {
                continue;
            }

            output.Add((byte)length);
            output.AddRange(new ReadOnlySpan<byte>(list + offset, length));
            BinaryPrimitives.WriteUInt32BigEndian(word, (uint)size);
            output.AddRange(word);
            output.AddRange(new ReadOnlySpan<byte>(value, (int)size));
            count++;
            if (output.Count > MaxBlockSize)
            {
                throw new SmsException(SmsErrorCode.SourceReadFailed, $"'{RawPath.Display(displayPath)}' has more than {MaxBlockSize} bytes of extended attributes.");
            }
        }

        if (count == 0)
        {
            return null;
        }

        var block = new byte[output.Count + 2];
        BinaryPrimitives.WriteUInt16BigEndian(block, (ushort)count);
        CollectionsMarshal.AsSpan(output).CopyTo(block.AsSpan(2));
        return block;
    }

    /// <summary>Checks that a block is well formed.</summary>
    public static bool IsWellFormed(ReadOnlySpan<byte> block)
    {
        if (block.IsEmpty)
        {
            return true;
        }

        if (block.Length < 2)
        {
            return false;
        }

        var count = BinaryPrimitives.ReadUInt16BigEndian(block);
        var at = 2;
        for (var i = 0; i < count; i++)
        {
            if (at >= block.Length)
            {
                return false;
            }

            var nameLength = block[at++];
            if (nameLength == 0 || at + nameLength + 4 > block.Length || block.Slice(at, nameLength).Contains((byte)0))
            {
                return false;
            }

            at += nameLength;
            var valueLength = BinaryPrimitives.ReadUInt32BigEndian(block[at..]);
            at += 4;
            if (valueLength > (uint)(block.Length - at))
            {
                return false;
            }

            at += (int)valueLength;
        }

        return at == block.Length;
    }

    /// <summary>
    /// Sets every attribute of a block on an open descriptor (<paramref name="fd"/> ≥ 0) or a path (not following a
    /// final symlink); with <paramref name="removeOthers"/>, attributes not in the block are removed first.
    /// </summary>
    /// <returns>The number of attributes that could not be set because the receiver lacks the privilege.</returns>
    /// <exception cref="SmsException">Setting failed for another reason.</exception>
    public static int Apply(int fd, byte* path, ReadOnlySpan<byte> block, bool removeOthers, bool privileged, string displayPath)
    {
        byte* name = stackalloc byte[256];
        var skipped = 0;
        if (removeOthers)
        {
            skipped += RemoveOthers(fd, path, block, privileged, displayPath);
        }

        if (block.IsEmpty)
        {
            return skipped;
        }

        var count = BinaryPrimitives.ReadUInt16BigEndian(block);
        var at = 2;
        for (var i = 0; i < count; i++)
        {
            var nameLength = block[at++];
            block.Slice(at, nameLength).CopyTo(new Span<byte>(name, 256));
            name[nameLength] = 0;
            at += nameLength;
            var valueLength = (int)BinaryPrimitives.ReadUInt32BigEndian(block[at..]);
            at += 4;
            fixed (byte* value = block.Slice(at, valueLength))
            {
                var rc = fd >= 0 ? FileNative.FSetXattr(fd, name, value, valueLength, 0) : FileNative.LSetXattr(path, name, value, valueLength, 0);
                if (rc != 0)
                {
                    var errno = FileNative.Errno;
                    if (!privileged && errno is Errno.EPERM or Errno.EACCES)
                    {
                        skipped++;
                    }
                    else
                    {
                        NativeErrors.ThrowTarget($"set extended attribute '{RawPath.DisplayBytes(new ReadOnlySpan<byte>(name, nameLength))}' on", displayPath, errno);
                    }
                }
            }

            at += valueLength;
        }

        return skipped;
    }

    private static int RemoveOthers(int fd, byte* path, ReadOnlySpan<byte> block, bool privileged, string displayPath)
    {
        var scratch = t_scratch ??= new Scratch();
        var list = scratch.List;
        var n = fd >= 0 ? FileNative.FListXattr(fd, list, ScratchSize) : FileNative.LListXattr(path, list, ScratchSize);
        if (n <= 0)
        {
            return 0;
        }

        var skipped = 0;
        for (var i = 0; i < n;)
        {
            var current = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(list + i);
            if (current.Length > 0 && !Contains(block, current))
            {
                var rc = fd >= 0 ? FileNative.FRemoveXattr(fd, list + i) : FileNative.LRemoveXattr(path, list + i);
                if (rc != 0)
                {
                    var errno = FileNative.Errno;
                    if (!privileged && errno is Errno.EPERM or Errno.EACCES)
                    {
                        skipped++;
                    }
                    else if (errno != Errno.ENODATA)
                    {
                        NativeErrors.ThrowTarget("remove an extended attribute of", displayPath, errno);
                    }
                }
            }

            i += current.Length + 1;
        }

        return skipped;
    }

    private static bool Contains(ReadOnlySpan<byte> block, ReadOnlySpan<byte> name)
    {
        if (block.IsEmpty)
        {
            return false;
        }

        var count = BinaryPrimitives.ReadUInt16BigEndian(block);
        var at = 2;
        for (var i = 0; i < count; i++)
        {
            var nameLength = block[at++];
            if (block.Slice(at, nameLength).SequenceEqual(name))
            {
                return true;
            }

            at += nameLength;
            var valueLength = (int)BinaryPrimitives.ReadUInt32BigEndian(block[at..]);
            at += 4 + valueLength;
        }

        return false;
    }

    private sealed class Scratch
    {
        public Scratch()
        {
            List = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(ListBuffer));
            Value = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(ValueBuffer));
        }

        public byte[] ListBuffer { get; } = GC.AllocateUninitializedArray<byte>(ScratchSize, pinned: true);

        public byte[] ValueBuffer { get; } = GC.AllocateUninitializedArray<byte>(ScratchSize, pinned: true);

        public byte* List { get; }

        public byte* Value { get; }
    }
}
