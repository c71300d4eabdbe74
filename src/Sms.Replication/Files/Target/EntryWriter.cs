using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Sms.Blocks;
using Sms.Files.Manifest;
using Sms.Files.Native;
using Sms.Files.Wire;

namespace Sms.Files.Target;

/// <summary>
/// Applies records to a target tree. A file is written to an unnamed temporary inode in its directory
/// (<c>O_TMPFILE</c>; a named temporary file where the file system lacks it), its hash checked, its metadata set, and
/// only then linked (or renamed over the old one) into place: no half-written file is ever visible under its name, and
/// a killed receiver leaves nothing behind. Thread-safe: the session's writers share it.
/// </summary>
internal sealed unsafe class EntryWriter
{
    private const int Page = 4096;
    private static readonly byte[] Zeros = new byte[FileReplicationSettings.ChunkSize];
    private readonly DirectoryHandles _dirs;
    private readonly string _tempPrefix = ".sms-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)) + "-";
    private long _tempCounter;
    private long _bytes;
    private long _skipped;
    private readonly SafeFileHandle? _trash;
    private readonly List<Task> _removals = [];
    private volatile bool _noTmpFile;

    public EntryWriter(DirectoryHandles directories, SafeFileHandle? trash = null)
    {
        _dirs = directories;
        _trash = trash;
    }

    /// <summary>Completes when the directories moved to the trash are removed.</summary>
    public Task WhenTrashEmptiedAsync()
    {
        lock (_removals)
        {
            return Task.WhenAll(_removals);
        }
    }

    /// <summary>File bytes written.</summary>
    public long BytesWritten => Interlocked.Read(ref _bytes);

    /// <summary>Entries or attributes skipped for lack of privilege (device nodes, owners, trusted xattrs).</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    public DirectoryHandles Directories => _dirs;

    /// <summary>A FileBatch: whole files, metadata, symbolic links, special files.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ApplyBatch(ReadOnlySpan<byte> payload)
    {
        var reader = new RecordReader(payload);
        while (!reader.End)
        {
            var r = reader.Read();
            switch (r.Op)
            {
                case RecordOp.File:
                    WriteFile(r);
                    break;
                case RecordOp.Meta:
                    Meta(r);
                    break;
                case RecordOp.Symlink:
                    Symlink(r);
                    break;
                case RecordOp.Special:
                    Special(r);
                    break;
                default:
                    throw Misplaced(r.Op, "FileBatch");
            }
        }
    }

    /// <summary>A FileDirs frame: directories that must exist before what follows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ApplyDirectories(ReadOnlySpan<byte> payload)
    {
        var reader = new RecordReader(payload);
        while (!reader.End)
        {
            var r = reader.Read();
            if (r.Op != RecordOp.MkDir)
            {
                throw Misplaced(r.Op, "FileDirs");
            }

            MkDir(PathRules.Validate(r.Path));
        }
    }

    /// <summary>A FileFinish frame: deletions, hard links, directory metadata (after everything before it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ApplyFinish(ReadOnlySpan<byte> payload)
    {
        var reader = new RecordReader(payload);
        while (!reader.End)
        {
            var r = reader.Read();
            switch (r.Op)
            {
                case RecordOp.Delete:
                    Delete(PathRules.Validate(r.Path));
                    break;
                case RecordOp.Link:
                    Link(PathRules.Validate(r.Path), PathRules.Validate(r.Data));
                    break;
                case RecordOp.DirMeta:
                    DirectoryMeta(PathRules.Validate(r.Path, allowRoot: true), MetaView.Of(r));
                    break;
                default:
                    throw Misplaced(r.Op, "FileFinish");
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void MkDir(string path)
    {
        using var parent = _dirs.Open(RawPath.ParentOf(path));
        Span<byte> name = stackalloc byte[RawPath.MaxNameLength + 1];
        RawPath.WriteNullTerminated(RawPath.NameOf(path), name);
        fixed (byte* n = name)
        {
            if (FileNative.MkDirAt(parent.Fd, n, 0x1C0) == 0)
            {
                return;
            }

            var errno = FileNative.Errno;
            if (errno != Errno.EEXIST)
            {
                NativeErrors.ThrowTarget("create directory", path, errno);
            }

            if (KindAt(parent.Fd, n, path) == FileKind.Directory)
            {
                return;
            }

            // Something else is there (the source changed its kind): replace it.
            Remove(parent.Fd, n, path);
            _dirs.Forget(path);
            if (FileNative.MkDirAt(parent.Fd, n, 0x1C0) != 0)
            {
                NativeErrors.ThrowTarget("create directory", path, FileNative.Errno);
            }
        }
    }

    public void Delete(string path)
    {
        var parent = _dirs.TryOpen(RawPath.ParentOf(path), create: false);
        if (parent is not { } lease)
        {
            return; // its directory is gone already
        }

        using (lease)
        {
            Span<byte> name = stackalloc byte[RawPath.MaxNameLength + 1];
            RawPath.WriteNullTerminated(RawPath.NameOf(path), name);
            fixed (byte* n = name)
            {
                Remove(lease.Fd, n, path);
            }
        }

        _dirs.Forget(path);
    }

    /// <summary>
    /// Removes an entry. A directory is renamed into the files root's trash (one call, so the tree shows the deletion
    /// at once) and removed there in the background; where that cannot be done, it is removed in place.
    /// </summary>
    public void Remove(int dirFd, byte* name, string path)
    {
        if (_trash is not null && KindAt(dirFd, name, path) == FileKind.Directory)
        {
            var added = false;
            _trash.DangerousAddRef(ref added);
            var trashFd = (int)_trash.DangerousGetHandle();
            var temp = NextTempName();
            int rc;
            fixed (byte* t = temp)
            {
                rc = FileNative.RenameAt(dirFd, name, trashFd, t);
            }

            if (rc == 0)
            {
                var removal = Task.Run(() =>
                {
                    try
                    {
                        fixed (byte* t = temp)
                        {
                            TreeRemover.Remove(trashFd, t, ".sms/trash");
                        }
                    }
                    catch (SmsException)
                    {
                        // Left in the trash; the next session of the tree empties it.
                    }
                    finally
                    {
                        _trash.DangerousRelease();
                    }
                });
                lock (_removals)
                {
                    _removals.RemoveAll(static t => t.IsCompleted);
                    _removals.Add(removal);
                }

                return;
            }

            _trash.DangerousRelease();
        }

        TreeRemover.Remove(dirFd, name, path);
    }

    /// <summary>Creates an unnamed (or temporary) file in a directory; <paramref name="tempName"/> is set when it is named.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int CreateTemp(int dirFd, string path, out byte[]? tempName, uint mode = 0x180)
    {
        tempName = null;
        if (!_noTmpFile)
        {
            fixed (byte* dot = "."u8)
            {
                var fd = FileNative.OpenAt(dirFd, dot, FileNative.OTmpFile | FileNative.ORdWr | FileNative.OCloExec, (int)mode);
                if (fd >= 0)
                {
                    return fd;
                }
            }

            var errno = FileNative.Errno;
            if (errno is not (Errno.EOPNOTSUPP or Errno.EISDIR or Errno.EINVAL))
            {
                NativeErrors.ThrowTarget("create a file in the directory of", path, errno);
            }

            _noTmpFile = true;
        }

        tempName = NextTempName();
        fixed (byte* t = tempName)
        {
            var fd = FileNative.OpenAt(dirFd, t, FileNative.OCreat | FileNative.OExcl | FileNative.ORdWr | FileNative.ONoFollow | FileNative.OCloExec, (int)mode);
            if (fd < 0)
            {
                NativeErrors.ThrowTarget("create a temporary file for", path, FileNative.Errno);
            }

            return fd;
        }
    }

    /// <summary>Gives a finished file its name, replacing whatever was there (recursively for a directory).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Place(int fd, byte[]? tempName, int dirFd, byte* name, string path)
    {
        if (tempName is null)
        {
            if (FileNative.LinkAt(fd, FileNative.EmptyPath, dirFd, name, FileNative.AtEmptyPath) == 0)
            {
                return;
            }

            var errno = FileNative.Errno;
            if (errno == Errno.ENOENT)
            {
                // Linking by descriptor needs CAP_DAC_READ_SEARCH; the /proc link works for everyone.
                var proc = System.Text.Encoding.ASCII.GetBytes($"/proc/self/fd/{fd}\0");
                fixed (byte* p = proc)
                {
                    if (FileNative.LinkAt(FileNative.AtFdCwd, p, dirFd, name, FileNative.AtSymlinkFollow) == 0)
                    {
                        return;
                    }

                    errno = FileNative.Errno;
                    if (errno != Errno.EEXIST)
                    {
                        NativeErrors.ThrowTarget("link into place", path, errno);
                    }

                    tempName = NextTempName();
                    fixed (byte* t = tempName)
                    {
                        if (FileNative.LinkAt(FileNative.AtFdCwd, p, dirFd, t, FileNative.AtSymlinkFollow) != 0)
                        {
                            NativeErrors.ThrowTarget("link into place", path, FileNative.Errno);
                        }
                    }
                }
            }
            else if (errno == Errno.EEXIST)
            {
                tempName = NextTempName();
                fixed (byte* t = tempName)
                {
                    if (FileNative.LinkAt(fd, FileNative.EmptyPath, dirFd, t, FileNative.AtEmptyPath) != 0)
                    {
                        NativeErrors.ThrowTarget("link into place", path, FileNative.Errno);
                    }
                }
            }
            else
            {
                NativeErrors.ThrowTarget("link into place", path, errno);
            }
        }

        fixed (byte* t = tempName)
        {
            ReplaceWith(dirFd, t, name, path);
        }
    }

    /// <summary>Renames a temporary name over the final one.</summary>
    public void ReplaceWith(int dirFd, byte* temp, byte* name, string path)
    {
        if (FileNative.RenameAt(dirFd, temp, dirFd, name) == 0)
        {
            return;
        }

        var errno = FileNative.Errno;
        if (errno is Errno.EISDIR or Errno.ENOTEMPTY or Errno.EEXIST or Errno.ENOTDIR)
        {
            // A directory (the source replaced it with a file or link): remove it, then rename.
            Remove(dirFd, name, path);
            _dirs.Forget(path);
            if (FileNative.RenameAt(dirFd, temp, dirFd, name) == 0)
            {
                return;
            }

            errno = FileNative.Errno;
        }

        _ = FileNative.UnlinkAt(dirFd, temp, 0);
        NativeErrors.ThrowTarget("rename into place", path, errno);
    }

    /// <summary>Removes a temporary name left by an abandoned file.</summary>
    public static void DiscardTemp(int dirFd, byte[]? tempName)
    {
        if (tempName is not null)
        {
            fixed (byte* t = tempName)
            {
                _ = FileNative.UnlinkAt(dirFd, t, 0);
            }
        }
    }

    public void AddWritten(long bytes) => Interlocked.Add(ref _bytes, bytes);

    public void AddSkipped(int count)
    {
        if (count > 0)
        {
            Interlocked.Add(ref _skipped, count);
        }
    }

    /// <summary>
    /// Writes data at an offset; with <paramref name="skipZeros"/>, all-zero pages are not written: left as holes, or
    /// with <paramref name="punchZeros"/> (a patched copy, where they may hold old data) punched.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WriteAt(int fd, ReadOnlySpan<byte> data, long offset, bool skipZeros, string path, bool punchZeros = false, int directFd = -1)
    {
        if (!skipZeros)
        {
            PWriteAll(fd, data, offset, path, directFd);
            return;
        }

        var at = 0;
        while (at < data.Length)
        {
            // Skip zero pages, then write the run of pages up to the next zero page.
            var zeros = at;
            while (at < data.Length && BlockHash.IsZero(data.Slice(at, Math.Min(Page, data.Length - at))))
            {
                at += Page;
            }

            if (punchZeros && at > zeros)
            {
                Zero(fd, offset + zeros, Math.Min(at, data.Length) - zeros, path);
            }

            if (at >= data.Length)
            {
                break;
            }

            var end = at;
            while (end < data.Length && !BlockHash.IsZero(data.Slice(end, Math.Min(Page, data.Length - end))))
            {
                end += Page;
            }

            end = Math.Min(end, data.Length);
            PWriteAll(fd, data[at..end], offset + at, path, directFd);
            at = end;
        }
    }

    /// <summary>Makes a range read as zeros: a hole where the file system can, written zeros elsewhere.</summary>
    public static void Zero(int fd, long offset, int length, string path)
    {
        if (FileNative.FAllocate(fd, FileNative.FallocPunchHole | FileNative.FallocKeepSize, offset, length) != 0)
        {
            PWriteAll(fd, Zeros.AsSpan(0, length), offset, path);
        }
    }

    /// <summary>
    /// Writes all of <paramref name="data"/>; given a <paramref name="directFd"/> (O_DIRECT on the same file), its
    /// aligned prefix goes past the page cache and the rest through <paramref name="fd"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PWriteAll(int fd, ReadOnlySpan<byte> data, long offset, string path, int directFd = -1)
    {
        fixed (byte* p = data)
        {
            var done = directFd >= 0 ? PWriteDirect(directFd, p, data.Length, offset, path) : 0;
            while (done < data.Length)
            {
                var n = FileNative.PWrite(fd, p + done, data.Length - done, offset + done);
                if (n < 0)
                {
                    var errno = FileNative.Errno;
                    if (errno == Errno.EINTR)
                    {
                        continue;
                    }

                    NativeErrors.ThrowTarget("write", path, errno);
                }

                done += (int)n;
            }
        }
    }

    /// <summary>
    /// Writes the aligned prefix of a buffer with O_DIRECT: a bulk copy gains nothing from caching what it writes, and on
    /// a virtual disk the page-cache copy is the slowest step of a large file. Returns how many bytes it wrote; the
    /// caller writes the rest through the page cache (the kernel keeps the two paths coherent).
    /// </summary>
    private static int PWriteDirect(int directFd, byte* data, int length, long offset, string path)
    {
        const int Mask = Blocks.LinuxNative.DirectIoAlignment - 1;
        var aligned = length & ~Mask;
        if (aligned == 0 || ((offset | (nint)data) & Mask) != 0)
        {
            return 0;
        }

        var done = 0;
        while (done < aligned)
        {
            var n = FileNative.PWrite(directFd, data + done, aligned - done, offset + done);
            if (n < 0)
            {
                var errno = FileNative.Errno;
                if (errno == Errno.EINTR)
                {
                    continue;
                }

                if (errno == Errno.EINVAL)
                {
                    return done; // refused for this write: the page cache takes the rest
                }

                NativeErrors.ThrowTarget("write", path, errno);
            }

            done += (int)n;
            if (n == 0 || (done & Mask) != 0)
            {
                break; // a short, unaligned write: the rest goes through the page cache
            }
        }

        return done;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteFile(in Record r)
    {
        var path = PathRules.Validate(r.Path);
        if (r.Kind != FileKind.Regular || ContentHash.OfSmall(r.Data) != r.Hash)
        {
            throw new ReplicationProtocolException(SmsErrorCode.HashMismatch, $"'{RawPath.Display(path)}' does not match its hash; it was not written.");
        }

        using var parent = _dirs.Open(RawPath.ParentOf(path));
        var fd = CreateTemp(parent.Fd, path, out var tempName, MetadataWriter.CreationMode(r.Permissions));
        try
        {
            var sparse = (r.Flags & MetaFlags.Sparse) != 0;
            if (sparse && FileNative.FTruncate(fd, r.Size) != 0)
            {
                NativeErrors.ThrowTarget("size", path, FileNative.Errno);
            }

            WriteAt(fd, r.Data, 0, sparse, path);
            AddSkipped(MetadataWriter.ApplyToNew(fd, MetaView.Of(r), path, parent.Group));
            Span<byte> name = stackalloc byte[RawPath.MaxNameLength + 1];
            RawPath.WriteNullTerminated(RawPath.NameOf(path), name);
            fixed (byte* n = name)
            {
                Place(fd, tempName, parent.Fd, n, path);
            }

            tempName = null;
        }
        finally
        {
            FileNative.CloseQuietly(fd);
            DiscardTemp(parent.Fd, tempName);
        }

        AddWritten(r.Data.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Meta(in Record r)
    {
        var path = PathRules.Validate(r.Path);
        using var parent = _dirs.Open(RawPath.ParentOf(path));
        Span<byte> name = stackalloc byte[RawPath.MaxNameLength + 1];
        RawPath.WriteNullTerminated(RawPath.NameOf(path), name);
        fixed (byte* n = name)
        {
            if (r.Kind is FileKind.Regular or FileKind.Directory)
            {
                var flags = FileNative.ORdOnly | FileNative.ONoFollow | FileNative.ONonBlock | FileNative.OCloExec | (r.Kind == FileKind.Directory ? FileNative.ODirectory : 0);
                var fd = FileNative.OpenAt(parent.Fd, n, flags, 0);
                if (fd < 0)
                {
                    throw NotAsExpected(path, r.Kind, FileNative.Errno);
                }

                try
                {
                    if (KindOf(fd, path) != r.Kind)
                    {
                        throw NotAsExpected(path, r.Kind, 0);
                    }

                    AddSkipped(MetadataWriter.Apply(fd, MetaView.Of(r), path));
                }
                finally
                {
                    FileNative.CloseQuietly(fd);
                }
            }
            else
            {
                if (KindAt(parent.Fd, n, path) != r.Kind)
                {
                    throw NotAsExpected(path, r.Kind, 0);
                }

                AddSkipped(MetadataWriter.ApplyAt(parent.Fd, n, MetaView.Of(r), path));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Symlink(in Record r)
    {
        var path = PathRules.Validate(r.Path);
        if (r.Data.IsEmpty || r.Data.Length > RawPath.MaxLength || r.Data.Contains((byte)0))
        {
            throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"The symbolic link '{RawPath.Display(path)}' has an empty or malformed target.");
        }

        Span<byte> target = stackalloc byte[r.Data.Length + 1];
        r.Data.CopyTo(target);
        target[^1] = 0;
        using var parent = _dirs.Open(RawPath.ParentOf(path));
        Span<byte> name = stackalloc byte[RawPath.MaxNameLength + 1];
        RawPath.WriteNullTerminated(RawPath.NameOf(path), name);
        fixed (byte* t = target)
        fixed (byte* n = name)
        {
            if (FileNative.SymlinkAt(t, parent.Fd, n) == 0)
            {
                AddSkipped(MetadataWriter.ApplyAt(parent.Fd, n, MetaView.Of(r), path));
                return;
            }

            if (FileNative.Errno != Errno.EEXIST)
            {
                NativeErrors.ThrowTarget("create symbolic link", path, FileNative.Errno);
            }

            var temp = NextTempName();
            fixed (byte* tmp = temp)
            {
                if (FileNative.SymlinkAt(t, parent.Fd, tmp) != 0)
                {
                    NativeErrors.ThrowTarget("create symbolic link", path, FileNative.Errno);
                }

                AddSkipped(MetadataWriter.ApplyAt(parent.Fd, tmp, MetaView.Of(r), path));
                ReplaceWith(parent.Fd, tmp, n, path);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Special(in Record r)
    {
        var path = PathRules.Validate(r.Path);
        if (r.Kind is not (FileKind.Fifo or FileKind.Socket or FileKind.CharacterDevice or FileKind.BlockDevice))
        {
            throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"'{RawPath.Display(path)}' is sent as a special file of kind {r.Kind}.");
        }

        var mode = StatxInfo.TypeBits(r.Kind) | r.Permissions;
        var device = r.Kind is FileKind.CharacterDevice or FileKind.BlockDevice ? FileNative.MakeDev((uint)(r.Rdev >> 32), (uint)r.Rdev) : 0;
        using var parent = _dirs.Open(RawPath.ParentOf(path));
        Span<byte> name = stackalloc byte[RawPath.MaxNameLength + 1];
        RawPath.WriteNullTerminated(RawPath.NameOf(path), name);
        fixed (byte* n = name)
        {
            if (FileNative.MkNodAt(parent.Fd, n, mode, device) == 0)
            {
                AddSkipped(MetadataWriter.ApplyAt(parent.Fd, n, MetaView.Of(r), path));
                return;
            }

            var errno = FileNative.Errno;
            if (errno == Errno.EPERM && !MetadataWriter.Privileged)
            {
                AddSkipped(1); // device nodes need root
                return;
            }

            if (errno != Errno.EEXIST)
            {
                NativeErrors.ThrowTarget("create", path, errno);
            }

            var temp = NextTempName();
            fixed (byte* tmp = temp)
            {
                if (FileNative.MkNodAt(parent.Fd, tmp, mode, device) != 0)
                {
                    NativeErrors.ThrowTarget("create", path, FileNative.Errno);
                }

                AddSkipped(MetadataWriter.ApplyAt(parent.Fd, tmp, MetaView.Of(r), path));
                ReplaceWith(parent.Fd, tmp, n, path);
            }
        }
    }

    private void Link(string path, string primary)
    {
        var source = _dirs.TryOpen(RawPath.ParentOf(primary), create: false) ?? throw NotAsExpected(primary, FileKind.Regular, Errno.ENOENT);
        using (source)
        {
            using var parent = _dirs.Open(RawPath.ParentOf(path));
            Span<byte> from = stackalloc byte[RawPath.MaxNameLength + 1];
            Span<byte> name = stackalloc byte[RawPath.MaxNameLength + 1];
            RawPath.WriteNullTerminated(RawPath.NameOf(primary), from);
            RawPath.WriteNullTerminated(RawPath.NameOf(path), name);
            Span<byte> statx = stackalloc byte[StatxInfo.BufferSize];
            fixed (byte* f = from)
            fixed (byte* n = name)
            fixed (byte* st = statx)
            {
                if (FileNative.Statx(source.Fd, f, FileNative.AtSymlinkNoFollow, FileNative.StatxBasicStats, st) != 0)
                {
                    throw NotAsExpected(primary, FileKind.Regular, FileNative.Errno);
                }

                var target = StatxInfo.Parse(statx);
                if (target.Kind != FileKind.Regular)
                {
                    throw NotAsExpected(primary, FileKind.Regular, 0);
                }

                if (FileNative.Statx(parent.Fd, n, FileNative.AtSymlinkNoFollow, FileNative.StatxBasicStats, st) == 0)
                {
                    var existing = StatxInfo.Parse(statx);
                    if (existing.Inode == target.Inode && existing.Device == target.Device)
                    {
                        return; // already that link (rename would do nothing and leave the temporary name)
                    }
                }

                if (FileNative.LinkAt(source.Fd, f, parent.Fd, n, 0) == 0)
                {
                    return;
                }

                if (FileNative.Errno != Errno.EEXIST)
                {
                    NativeErrors.ThrowTarget("create hard link", path, FileNative.Errno);
                }

                var temp = NextTempName();
                fixed (byte* tmp = temp)
                {
                    if (FileNative.LinkAt(source.Fd, f, parent.Fd, tmp, 0) != 0)
                    {
                        NativeErrors.ThrowTarget("create hard link", path, FileNative.Errno);
                    }

                    ReplaceWith(parent.Fd, tmp, n, path);
                }
            }
        }
    }

    private void DirectoryMeta(string path, in MetaView meta)
    {
        if (meta.Kind != FileKind.Directory)
        {
            throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"Directory metadata for '{RawPath.Display(path)}' names kind {meta.Kind}.");
        }

        var lease = _dirs.TryOpen(path, create: false) ?? throw NotAsExpected(path, FileKind.Directory, Errno.ENOENT);
        using (lease)
        {
            AddSkipped(MetadataWriter.Apply(lease.Fd, meta, path.Length == 0 ? "." : path));
        }
    }

    private byte[] NextTempName()
    {
        var text = _tempPrefix + Interlocked.Increment(ref _tempCounter).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var bytes = new byte[text.Length + 1];
        System.Text.Encoding.ASCII.GetBytes(text, bytes);
        return bytes;
    }

    private static FileKind KindAt(int dirFd, byte* name, string path)
    {
        Span<byte> buffer = stackalloc byte[StatxInfo.BufferSize];
        fixed (byte* b = buffer)
        {
            if (FileNative.Statx(dirFd, name, FileNative.AtSymlinkNoFollow, FileNative.StatxBasicStats, b) != 0)
            {
                var errno = FileNative.Errno;
                if (errno == Errno.ENOENT)
                {
                    return FileKind.Unknown;
                }

                NativeErrors.ThrowTarget("stat", path, errno);
            }
        }

        return StatxInfo.Parse(buffer).Kind;
    }

    private static FileKind KindOf(int fd, string path)
    {
        Span<byte> buffer = stackalloc byte[StatxInfo.BufferSize];
        fixed (byte* b = buffer)
        {
            if (FileNative.Statx(fd, FileNative.EmptyPath, FileNative.AtEmptyPath, FileNative.StatxBasicStats, b) != 0)
            {
                NativeErrors.ThrowTarget("stat", path, FileNative.Errno);
            }
        }

        return StatxInfo.Parse(buffer).Kind;
    }

    internal static SmsException NotAsExpected(string path, FileKind kind, int errno)
        => new(
            SmsErrorCode.InvalidState,
            $"The target's '{RawPath.Display(path)}' is not the {FileEntry.KindName(kind)} the source's manifest says it holds"
            + (errno != 0 ? $" ({Errno.Describe(errno)})" : string.Empty)
            + "; it was changed behind the replication's back. Run with verification to repair it.");

    private static ReplicationProtocolException Misplaced(RecordOp op, string frame)
        => new(SmsErrorCode.ProtocolViolation, $"A {op} record is not allowed in a {frame} frame.");
}
