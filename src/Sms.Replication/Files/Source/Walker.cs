using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Sms.Files.Manifest;
using Sms.Files.Native;
using Sms.Files.Wire;
using Sms.Protocol;

namespace Sms.Files.Source;

/// <summary>
/// One walking thread: reads directories (<c>getdents64</c> + <c>statx</c> relative to the directory descriptor),
/// compares each entry with the manifest, and writes what changed straight into its current batch: small files are
/// read into the batch buffer in place. Large files go to the chunk readers, multi-link files wait for the end.
/// </summary>
internal sealed unsafe class Walker : IDisposable
{
    private const int PathBufferSize = 8192;
    private readonly PassContext _context;
    private readonly TreeWalk _walk;
    private readonly DirectoryReader _reader = new();
    private readonly byte[] _statxBuffer = GC.AllocateUninitializedArray<byte>(StatxInfo.BufferSize, pinned: true);
    private readonly byte[] _pathBuffer = GC.AllocateUninitializedArray<byte>(PathBufferSize, pinned: true);
    private readonly byte[] _linkBuffer = GC.AllocateUninitializedArray<byte>(RawPath.MaxLength + 1, pinned: true);
    private readonly char[] _chars = new char[PathBufferSize];
    private readonly byte* _statx;
    private readonly byte* _path;
    private readonly byte* _link;
    private readonly PayloadCompressor _compressor;
    private RecordBuffer? _batch;

    public Walker(PassContext context, TreeWalk walk)
    {
        _context = context;
        _walk = walk;
        _statx = Pin(_statxBuffer);
        _path = Pin(_pathBuffer);
        _link = Pin(_linkBuffer);
        _compressor = new PayloadCompressor(context.Settings.Compression, context.Pool.Capacity);
    }

    public List<FileEntry> Entries { get; } = [];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run()
    {
        try
        {
            foreach (var work in _walk.Take(_context.CancellationToken))
            {
                ReadDirectory(work.Entry, work.Old);
                _walk.Done();
            }

            Seal();
        }
        catch
        {
            _walk.Stop();
            throw;
        }
    }

    public void Dispose()
    {
        if (_batch is not null)
        {
            _context.Pool.Return(_batch);
            _batch = null;
        }

        _compressor.Dispose();
    }

    private static byte* Pin(byte[] array) => (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadDirectory(FileEntry directory, FileEntry? old)
    {
        var dirLength = _context.FullPath(directory.Path, _pathBuffer);
        var fd = OpenNoAtime(FileNative.AtFdCwd, _path, FileNative.ORdOnly | FileNative.ODirectory | FileNative.ONoFollow | FileNative.OCloExec);
        if (fd < 0)
        {
            var errno = FileNative.Errno;
            if (errno is Errno.ENOENT or Errno.ENOTDIR or Errno.ELOOP)
            {
                return; // replaced or removed since it was listed: the next pass sees what it became
            }

            NativeErrors.ThrowSource("open directory", directory.Path, errno);
        }

        try
        {
            // The directory's own xattrs, unless its inode change time says nothing changed.
            if (old is not null && SameInode(directory, old))
            {
                directory.XattrDigest = old.XattrDigest;
            }
            else
            {
                directory.Xattrs = XattrBlock.Read(fd, null, directory.Path);
                directory.XattrDigest = XattrBlock.Digest(directory.Xattrs);
            }

            // Racy on a directory: an interrupted pass changed names in it on the target after its metadata was applied.
            if (old is null || old.Kind != FileKind.Directory || old.Modify != directory.Modify || (old.Flags & EntryFlags.Racy) != 0
                || !directory.SameOwnershipAndMode(old))
            {
                directory.NeedsDirectoryMetadata = true;
            }

            _reader.Reset(fd);
            long count = 0;
            while (true)
            {
                if (!_reader.TryNext(out var name, out var nameLength, out _, out var errno))
                {
                    if (errno != 0)
                    {
                        NativeErrors.ThrowSource("read directory", directory.Path, errno);
                    }

                    break;
                }

                ReadEntry(directory, fd, dirLength, name, nameLength);
                count++;
            }

            _context.CancellationToken.ThrowIfCancellationRequested();

            _context.Counters.AddEntries(count);
        }
        finally
        {
            FileNative.CloseQuietly(fd);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadEntry(FileEntry directory, int dirFd, int dirLength, byte* name, int nameLength)
    {
        var nameSpan = new ReadOnlySpan<byte>(name, nameLength);

        // The relative path, composed in place: a string is made only for entries the manifest does not know.
        var prefix = directory.Path.Length;
        directory.Path.CopyTo(_chars);
        if (prefix > 0)
        {
            _chars[prefix++] = '/';
        }

        var pathLength = prefix + System.Text.Encoding.Latin1.GetChars(nameSpan, _chars.AsSpan(prefix));
        var pathSpan = new ReadOnlySpan<char>(_chars, 0, pathLength);
        if (FileNative.Statx(dirFd, name, FileNative.AtSymlinkNoFollow | FileNative.AtNoAutomount, FileNative.StatxBasicStats, _statx) != 0)
        {
            var errno = FileNative.Errno;
            if (errno == Errno.ENOENT)
            {
                return;
            }

            NativeErrors.ThrowSource("stat", pathSpan, errno);
        }

        var st = StatxInfo.Parse(new ReadOnlySpan<byte>(_statx, StatxInfo.BufferSize));
        var kind = st.Kind;
        if (kind == FileKind.Unknown)
        {
            return;
        }

        _context.OldByPath.TryGetValue(pathSpan, out var old);
        var path = old?.Path ?? new string(pathSpan);
        if (!_context.Exclusions.IsEmpty && _context.Exclusions.IsExcluded(path, kind == FileKind.Directory))
        {
            _context.Counters.AddExcluded();
            return;
        }

        var entry = new FileEntry(path);
        entry.SetStat(st);
        if (old is not null)
        {
            old.Successor = entry;
        }

        // The full path of the entry, for the calls that only take paths (llistxattr).
        _path[dirLength] = (byte)'/';
        nameSpan.CopyTo(new Span<byte>(_path + dirLength + 1, PathBufferSize - dirLength - 2));
        _path[dirLength + 1 + nameLength] = 0;
        var kept = kind switch
        {
            FileKind.Directory => Directory(directory, entry, old),
            FileKind.Regular when st.Links > 1 => HardLinkCandidate(directory, entry, old),
            FileKind.Regular => Regular(directory, dirFd, name, entry, old),
            FileKind.Symlink => Symlink(directory, dirFd, name, entry, old),
            _ => Special(directory, dirFd, name, entry, old),
        };

        // Back to the directory's own path for the next entry.
        _path[dirLength] = 0;
        if (kept)
        {
            Entries.Add(entry);
        }
        else if (kind != FileKind.Regular || st.Links <= 1)
        {
            entry.Vanished = true; // (a multi-link file is added once its group is resolved)
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Directory(FileEntry parent, FileEntry entry, FileEntry? old)
    {
        if (old is null || old.Kind != FileKind.Directory)
        {
            // Queued before the directory is, so it reaches the receiver before anything inside it.
            _context.Sender.Enqueue(OutFrame.MkDir(entry.Path));
            _context.Counters.AddCreated();
            parent.NeedsDirectoryMetadata = true;
            entry.NeedsDirectoryMetadata = true;
            old = null;
        }

        _walk.Push(new DirectoryWork(entry, old));
        return true;
    }

    private bool HardLinkCandidate(FileEntry parent, FileEntry entry, FileEntry? old)
    {
        _context.HardLinkCandidates.Add(new LargeFileJob(entry, old, parent));
        return false; // added after the walk, once its group is known
    }

    /// <summary>
    /// Processes a regular file found by the walk outside a directory read (a hard link group's primary): its
    /// directory is opened again.
    /// </summary>
    /// <returns>Whether the entry still exists.</returns>
    public bool RegularByPath(LargeFileJob job)
    {
        var parentLength = _context.FullPath(job.Parent.Path, _pathBuffer);
        var fd = OpenNoAtime(FileNative.AtFdCwd, _path, FileNative.ORdOnly | FileNative.ODirectory | FileNative.ONoFollow | FileNative.OCloExec);
        if (fd < 0)
        {
            return false;
        }

        try
        {
            var name = RawPath.NameOf(job.Entry.Path);
            Span<byte> nameBytes = stackalloc byte[RawPath.MaxNameLength + 1];
            var length = RawPath.WriteNullTerminated(name, nameBytes);
            _path[parentLength] = (byte)'/';
            nameBytes[..(length + 1)].CopyTo(new Span<byte>(_path + parentLength + 1, PathBufferSize - parentLength - 1));
            fixed (byte* n = nameBytes)
            {
                return Regular(job.Parent, fd, n, job.Entry, job.Old);
            }
        }
        finally
        {
            FileNative.CloseQuietly(fd);
        }
    }

    /// <summary>Sends what is left in the batch.</summary>
    public void Flush() => Seal();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Regular(FileEntry parent, int dirFd, byte* name, FileEntry entry, FileEntry? old)
    {
        var comparable = old is { Kind: FileKind.Regular, LinkTo: null } && (old.Flags & EntryFlags.Racy) == 0;
        if (comparable && SameInode(entry, old!))
        {
            CarryContent(entry, old!);
            entry.XattrDigest = old!.XattrDigest;
            _context.Counters.AddUnchanged(1);
            return true;
        }

        if (comparable && old!.Size == entry.Size && old.Modify == entry.Modify)
        {
            // Same size and time: the content is taken as unchanged (as rsync's quick check); the metadata may not be.
            var xattrs = XattrBlock.ReadAt(dirFd, name, _path, entry.Path);
            entry.XattrDigest = XattrBlock.Digest(xattrs);
            CarryContent(entry, old);
            if (entry.SameOwnershipAndMode(old))
            {
                _context.Counters.AddUnchanged(1);
            }
            else
            {
                AppendMeta(entry, old, xattrs);
            }

            return true;
        }

        if (entry.Size > _context.Settings.InlineFileLimit)
        {
            _context.Counters.AddDiscovered(entry.Size);
            _context.LargeFiles.Add(new LargeFileJob(entry, old, parent), _context.CancellationToken);
            return true;
        }

        return SmallFile(parent, dirFd, name, entry, old);
    }

    /// <summary>Reads a small file into the batch (in place) and keeps the record only if its content changed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool SmallFile(FileEntry parent, int dirFd, byte* name, FileEntry entry, FileEntry? old)
    {
        var fd = OpenNoAtime(dirFd, name, FileNative.ORdOnly | FileNative.ONoFollow | FileNative.OCloExec | FileNative.ONonBlock);
        if (fd < 0)
        {
            var errno = FileNative.Errno;
            if (errno is Errno.ENOENT or Errno.ELOOP or Errno.ENXIO)
            {
                return false; // gone or replaced since the listing
            }

            NativeErrors.ThrowSource("open", entry.Path, errno);
        }

        try
        {
            for (var attempt = 0; ; attempt++)
            {
                if (FileNative.Statx(fd, FileNative.EmptyPath, FileNative.AtEmptyPath, FileNative.StatxBasicStats, _statx) != 0)
                {
                    NativeErrors.ThrowSource("stat", entry.Path, FileNative.Errno);
                }

                var before = StatxInfo.Parse(new ReadOnlySpan<byte>(_statx, StatxInfo.BufferSize));
                if (before.Kind != FileKind.Regular)
                {
                    return false;
                }

                entry.SetStat(before);
                if (before.Size > _context.Settings.InlineFileLimit)
                {
                    _context.Counters.AddDiscovered(entry.Size);
                    _context.LargeFiles.Add(new LargeFileJob(entry, old, parent), _context.CancellationToken);
                    return true;
                }

                var xattrs = XattrBlock.Read(fd, null, entry.Path);
                entry.XattrDigest = XattrBlock.Digest(xattrs);
                var size = (int)before.Size;
                var sparse = before.IsSparse;
                var batch = Room(3 + entry.Path.Length + RecordBuffer.MetaLength(xattrs) + 24 + size);
                var start = batch.Length;
                var records = batch.Records;
                batch.Begin(RecordOp.File, entry.Path);
                batch.WriteMeta(entry, sparse ? MetaFlags.Sparse : MetaFlags.None, xattrs);
                batch.WriteInt64(size);
                var hashAt = batch.Length;
                batch.WriteUInt128(UInt128.Zero);
                var data = batch.Reserve(size);
                var read = ReadFully(fd, data);
                if (FileNative.Statx(fd, FileNative.EmptyPath, FileNative.AtEmptyPath, FileNative.StatxBasicStats, _statx) != 0)
                {
                    NativeErrors.ThrowSource("stat", entry.Path, FileNative.Errno);
                }

                var after = StatxInfo.Parse(new ReadOnlySpan<byte>(_statx, StatxInfo.BufferSize));
                var changed = read != size || after.Size != before.Size || after.Modify != before.Modify;
                if (changed)
                {
                    _context.Counters.AddChangedDuringRead();
                    if (attempt < _context.Settings.ChangedFileRetries)
                    {
                        batch.Rewind(start, records);
                        continue;
                    }

                    // Still changing: send what was read, and make the next pass read it again.
                    data[read..].Clear();
                    entry.Flags |= EntryFlags.Racy;
                }

                _context.Counters.AddScanned(read);
                var hash = ContentHash.OfSmall(data);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(batch.Data.AsSpan(hashAt), hash);
                entry.Hash = hash;
                entry.ReadThisPass = true;
                entry.Flags |= (sparse ? EntryFlags.Sparse : EntryFlags.None) | (entry.Modify >= _context.RacyFrom ? EntryFlags.Racy : EntryFlags.None);
                if (old is { Kind: FileKind.Regular, LinkTo: null } && old.Size == size && old.Hash == hash)
                {
                    // Same content after all (a touch, a chmod, or a racy entry read again).
                    batch.Rewind(start, records);
                    if (old.Modify == entry.Modify && entry.SameOwnershipAndMode(old))
                    {
                        _context.Counters.AddUnchanged(1);
                    }
                    else
                    {
                        AppendMeta(entry, old, xattrs);
                    }

                    return true;
                }

                batch.Changes.Add(new ManifestChange(entry, null, size, TouchesParent: true));
                entry.ContentSent = true;
                _context.Counters.AddFileSent();
                parent.NeedsDirectoryMetadata = true;
                SealIfFull();
                return true;
            }
        }
        finally
        {
            FileNative.CloseQuietly(fd);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Symlink(FileEntry parent, int dirFd, byte* name, FileEntry entry, FileEntry? old)
    {
        if (old is { Kind: FileKind.Symlink } && SameInode(entry, old))
        {
            entry.Hash = old.Hash;
            entry.XattrDigest = old.XattrDigest;
            _context.Counters.AddUnchanged(1);
            return true;
        }

        var n = FileNative.ReadLinkAt(dirFd, name, _link, RawPath.MaxLength + 1);
        if (n < 0)
        {
            var errno = FileNative.Errno;
            if (errno is Errno.ENOENT or Errno.EINVAL)
            {
                return false;
            }

            NativeErrors.ThrowSource("read symbolic link", entry.Path, errno);
        }

        var target = new ReadOnlySpan<byte>(_link, (int)n);
        entry.Hash = XxHash128.HashToUInt128(target) | UInt128.One;
        var xattrs = XattrBlock.ReadAt(dirFd, name, _path, entry.Path);
        entry.XattrDigest = XattrBlock.Digest(xattrs);
        if (old is { Kind: FileKind.Symlink } && old.Hash == entry.Hash)
        {
            if (old.Modify == entry.Modify && entry.SameOwnershipAndMode(old))
            {
                _context.Counters.AddUnchanged(1);
            }
            else
            {
                AppendMeta(entry, old, xattrs);
            }

            return true;
        }

        var batch = Room(3 + entry.Path.Length + RecordBuffer.MetaLength(xattrs) + 2 + target.Length);
        batch.Begin(RecordOp.Symlink, entry.Path);
        batch.WriteMeta(entry, MetaFlags.None, xattrs);
        batch.WriteUInt16((ushort)target.Length);
        batch.WriteBytes(target);
        batch.Changes.Add(new ManifestChange(entry, null, 0, TouchesParent: true));
        _context.Counters.AddCreated();
        parent.NeedsDirectoryMetadata = true;
        SealIfFull();
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Special(FileEntry parent, int dirFd, byte* name, FileEntry entry, FileEntry? old)
    {
        var sameKind = old is not null && old.Kind == entry.Kind && old.Rdev == entry.Rdev;
        if (sameKind && SameInode(entry, old!))
        {
            entry.XattrDigest = old!.XattrDigest;
            _context.Counters.AddUnchanged(1);
            return true;
        }

        var xattrs = XattrBlock.ReadAt(dirFd, name, _path, entry.Path);
        entry.XattrDigest = XattrBlock.Digest(xattrs);
        if (sameKind)
        {
            if (old!.Modify == entry.Modify && entry.SameOwnershipAndMode(old))
            {
                _context.Counters.AddUnchanged(1);
            }
            else
            {
                AppendMeta(entry, old, xattrs);
            }

            return true;
        }

        var batch = Room(3 + entry.Path.Length + RecordBuffer.MetaLength(xattrs) + 8);
        batch.Begin(RecordOp.Special, entry.Path);
        batch.WriteMeta(entry, MetaFlags.None, xattrs);
        batch.WriteUInt64(entry.Rdev);
        batch.Changes.Add(new ManifestChange(entry, null, 0, TouchesParent: true));
        _context.Counters.AddCreated();
        parent.NeedsDirectoryMetadata = true;
        SealIfFull();
        return true;
    }

    /// <summary>A metadata-only record: the target has the content, its mode, owner, times or xattrs changed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AppendMeta(FileEntry entry, FileEntry old, byte[]? xattrs)
    {
        var flags = entry.XattrDigest != old.XattrDigest ? MetaFlags.ReplaceXattrs : MetaFlags.None;
        var batch = Room(3 + entry.Path.Length + RecordBuffer.MetaLength(xattrs));
        batch.Begin(RecordOp.Meta, entry.Path);
        batch.WriteMeta(entry, flags, xattrs);
        batch.Changes.Add(new ManifestChange(entry, null, 0));
        _context.Counters.AddMetadataOnly();
        SealIfFull();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool SameInode(FileEntry entry, FileEntry old)
        => old.Kind == entry.Kind && old.Inode == entry.Inode && old.Device == entry.Device && old.Change == entry.Change
            && old.Modify == entry.Modify && old.Size == entry.Size && old.Permissions == entry.Permissions
            && old.Uid == entry.Uid && old.Gid == entry.Gid && (old.Flags & EntryFlags.Racy) == 0;

    private static void CarryContent(FileEntry entry, FileEntry old)
    {
        entry.Hash = old.Hash;
        entry.Chunks = old.Chunks;
        entry.Flags = old.Flags & EntryFlags.Sparse;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private RecordBuffer Room(int bytes)
    {
        if (_batch is not null && _batch.Free < bytes)
        {
            Seal();
        }

        _batch ??= _context.Pool.Rent(_context.CancellationToken);
        if (_batch.Free < bytes)
        {
            throw new SmsException(SmsErrorCode.SourceReadFailed, "An entry's metadata does not fit in a frame.");
        }

        return _batch;
    }

    private void SealIfFull()
    {
        if (_batch is not null && _batch.Length >= _context.Settings.BatchBytes)
        {
            Seal();
        }
    }

    private void Seal()
    {
        var batch = _batch;
        if (batch is null || batch.Records == 0)
        {
            return;
        }

        _batch = null;
        var rawLength = batch.Length;
        var flags = _context.ShouldCompress() ? _compressor.TryCompress(batch) : FrameFlags.None;
        var frame = OutFrame.Payload(FrameType.FileBatch, batch, pooled: true, rawLength: rawLength);
        frame.Flags = flags;
        _context.Sender.Enqueue(frame);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ReadFully(int fd, Span<byte> data)
    {
        var total = 0;
        fixed (byte* p = data)
        {
            while (total < data.Length)
            {
                var n = FileNative.PRead(fd, p + total, data.Length - total, total);
                if (n < 0)
                {
                    var errno = FileNative.Errno;
                    if (errno == Errno.EINTR)
                    {
                        continue;
                    }

                    throw new SmsException(SmsErrorCode.SourceReadFailed, $"Reading a source file failed: {Errno.Describe(errno)}.");
                }

                if (n == 0)
                {
                    break;
                }

                total += (int)n;
            }
        }

        return total;
    }

    /// <summary>Opens with O_NOATIME (reading does not touch the source's access times) where allowed.</summary>
    internal static int OpenNoAtime(int dirFd, byte* path, int flags)
    {
        var fd = FileNative.OpenAt(dirFd, path, flags | FileNative.ONoAtime, 0);
        if (fd < 0 && FileNative.Errno == Errno.EPERM)
        {
            fd = FileNative.OpenAt(dirFd, path, flags, 0);
        }

        return fd;
    }
}
