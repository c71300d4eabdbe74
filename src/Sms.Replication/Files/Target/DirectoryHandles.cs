using System.Runtime.CompilerServices;
using System.Collections.Concurrent;
using Microsoft.Win32.SafeHandles;
using Sms.Files.Native;

namespace Sms.Files.Target;

/// <summary>
/// Open directories of a target tree, by relative path. A directory is reached from the tree root one component at a
/// time with <c>openat(O_DIRECTORY | O_NOFOLLOW)</c>: a component that is a symbolic link (whatever it points to) or not
/// a directory is refused, so nothing is ever written outside the tree. Missing directories are created (0700; their
/// metadata comes at the end of the pass). Shared by the session's writers; a lease keeps a descriptor open while used.
/// </summary>
internal sealed unsafe class DirectoryHandles : IDisposable
{
    private const int Limit = 4096;
    private readonly ConcurrentDictionary<string, SafeFileHandle> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<SafeFileHandle, uint> _groups = new();
    private readonly SafeFileHandle _root;

    public DirectoryHandles(SafeFileHandle root)
    {
        _root = root;
        _groups[root] = GroupOf((int)root.DangerousGetHandle());
    }

    /// <summary>Opens a directory of the tree (creating missing ones) and keeps it open until the lease is disposed.</summary>
    /// <exception cref="ReplicationProtocolException">A component is a symbolic link or not a directory (<see cref="SmsErrorCode.InvalidName"/>).</exception>
    public DirectoryLease Open(string path) => TryOpen(path, create: true) ?? throw new InvalidOperationException("unreachable");

    /// <summary>As <see cref="Open"/>, but <see langword="null"/> when a component does not exist and <paramref name="create"/> is false.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public DirectoryLease? TryOpen(string path, bool create)
    {
        while (true)
        {
            var handle = Resolve(path, create);
            if (handle is null)
            {
                return null;
            }

            var added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                return new DirectoryLease(handle, _groups.TryGetValue(handle, out var group) ? group : uint.MaxValue);
            }
            catch (ObjectDisposedException)
            {
                // Evicted by another thread between the lookup and the lease: look again.
            }
        }
    }

    /// <summary>Drops a directory and everything under it from the cache (it was removed or replaced).</summary>
    public void Forget(string path)
    {
        var prefix = path + "/";
        foreach (var key in _cache.Keys)
        {
            if ((key == path || key.StartsWith(prefix, StringComparison.Ordinal)) && _cache.TryRemove(key, out var handle))
            {
                _groups.TryRemove(handle, out _);
                handle.Dispose();
            }
        }
    }

    public void Dispose()
    {
        foreach (var handle in _cache.Values)
        {
            handle.Dispose();
        }

        _cache.Clear();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private SafeFileHandle? Resolve(string path, bool create)
    {
        if (path.Length == 0)
        {
            return _root;
        }

        if (_cache.TryGetValue(path, out var cached) && !cached.IsClosed)
        {
            return cached;
        }

        var parent = Resolve(RawPath.ParentOf(path), create);
        if (parent is null)
        {
            return null;
        }

        var added = false;
        int fd;
        try
        {
            parent.DangerousAddRef(ref added);
            fd = OpenChild((int)parent.DangerousGetHandle(), path, create);
        }
        catch (ObjectDisposedException)
        {
            return Resolve(path, create);
        }
        finally
        {
            if (added)
            {
                parent.DangerousRelease();
            }
        }

        if (fd < 0)
        {
            return null;
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        _groups[handle] = GroupOf(fd);
        if (!_cache.TryAdd(path, handle))
        {
            handle.Dispose();
            return _cache.TryGetValue(path, out var other) ? other : Resolve(path, create);
        }

        if (_cache.Count > Limit)
        {
            Trim(path);
        }

        return handle;
    }

    private static int OpenChild(int parent, string path, bool create)
    {
        Span<byte> name = stackalloc byte[RawPath.MaxNameLength + 1];
        RawPath.WriteNullTerminated(RawPath.NameOf(path), name);
        fixed (byte* n = name)
        {
            for (var attempt = 0; ; attempt++)
            {
                var fd = FileNative.OpenAt(parent, n, FileNative.ORdOnly | FileNative.ODirectory | FileNative.ONoFollow | FileNative.OCloExec, 0);
                if (fd >= 0)
                {
                    return fd;
                }

                var errno = FileNative.Errno;
                switch (errno)
                {
                    case Errno.ENOENT when create && attempt == 0:
                        if (FileNative.MkDirAt(parent, n, 0x1C0) != 0 && FileNative.Errno != Errno.EEXIST)
                        {
                            NativeErrors.ThrowTarget("create directory", path, FileNative.Errno);
                        }

                        continue;
                    case Errno.ENOENT:
                        return -1;
                    case Errno.ELOOP or Errno.ENOTDIR:
                        throw PathRules.Refused(RawPath.ToBytes(path), IsSymlink(parent, n)
                            ? "it is a symbolic link on the target, and the receiver never follows one"
                            : "it is not a directory on the target");
                    default:
                        NativeErrors.ThrowTarget("open directory", path, errno);
                        return -1;
                }
            }
        }
    }

    /// <summary>The group a new file gets in the directory open on <paramref name="fd"/>; unknown (so never matched) on error.</summary>
    private static uint GroupOf(int fd)
    {
        Span<byte> buffer = stackalloc byte[StatxInfo.BufferSize];
        fixed (byte* b = buffer)
        {
            return FileNative.Statx(fd, FileNative.EmptyPath, FileNative.AtEmptyPath, FileNative.StatxBasicStats, b) == 0
                ? MetadataWriter.NewFileGroup(StatxInfo.Parse(buffer))
                : uint.MaxValue;
        }
    }

    private static bool IsSymlink(int parent, byte* name)
    {
        Span<byte> buffer = stackalloc byte[StatxInfo.BufferSize];
        fixed (byte* b = buffer)
        {
            return FileNative.Statx(parent, name, FileNative.AtSymlinkNoFollow, FileNative.StatxBasicStats, b) == 0
                && StatxInfo.Parse(buffer).Kind == FileKind.Symlink;
        }
    }

    private void Trim(string keep)
    {
        foreach (var key in _cache.Keys)
        {
            if (!string.Equals(key, keep, StringComparison.Ordinal) && !keep.StartsWith(key + "/", StringComparison.Ordinal) && _cache.TryRemove(key, out var handle))
            {
                _groups.TryRemove(handle, out _);
                handle.Dispose();
            }
        }
    }
}

/// <summary>A directory descriptor kept open while in use.</summary>
internal readonly struct DirectoryLease : IDisposable
{
    private readonly SafeFileHandle _handle;

    public DirectoryLease(SafeFileHandle handle, uint group)
    {
        _handle = handle;
        Fd = (int)handle.DangerousGetHandle();
        Group = group;
    }

    public int Fd { get; }

    /// <summary>The group a file created in the directory gets.</summary>
    public uint Group { get; }

    public void Dispose() => _handle?.DangerousRelease();
}
