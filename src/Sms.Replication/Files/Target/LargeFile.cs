using System.Runtime.CompilerServices;
using Sms.Blocks;
using Sms.Files.Manifest;
using Sms.Files.Native;
using Sms.Files.Wire;

namespace Sms.Files.Target;

/// <summary>
/// A large file being received: an unnamed temporary file in its directory (for a patch, a copy of the current file
/// made in the kernel with <c>copy_file_range</c>), written chunk by chunk by the writers (aligned chunks past the page
/// cache, through a second O_DIRECT descriptor, where the file system allows it), then checked, given its metadata and
/// linked into place when its FileEnd has arrived and its last chunk is written.
/// </summary>
internal sealed unsafe class LargeFile : IDisposable
{
    private readonly EntryWriter _writer;
    private readonly DirectoryLease _directory;
    private readonly byte[] _name;
    private readonly ContentHash.Builder? _content;
    private byte[]? _tempName;
    private int _fd;
    private int _directFd;
    private int _outstanding = 1;
    private long _nextChunk;

    private LargeFile(EntryWriter writer, string path, DirectoryLease directory, byte[] name, EntryMeta meta, long size, bool patch, int fd, byte[]? tempName)
    {
        _writer = writer;
        Path = path;
        _directory = directory;
        _name = name;
        Meta = meta;
        Size = size;
        Patch = patch;
        _fd = fd;
        _directFd = FileNative.ReopenForDirectWrite(fd);
        _tempName = tempName;
        _content = patch ? null : new ContentHash.Builder();
    }

    public string Path { get; }

    public EntryMeta Meta { get; }

    public long Size { get; }

    public bool Patch { get; }

    public bool Sparse => (Meta.Flags & MetaFlags.Sparse) != 0;

    /// <summary>The frame index of the FileEnd, once it arrived.</summary>
    public long EndFrame { get; private set; } = -1;

    public bool Abandoned { get; private set; }

    /// <summary>Opens the temporary file for a Begin record.</summary>
    public static LargeFile Begin(EntryWriter writer, in Record r)
    {
        var path = PathRules.Validate(r.Path);
        if (r.Kind != FileKind.Regular)
        {
            throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"'{RawPath.Display(path)}' is begun as a {r.Kind}.");
        }

        var directory = writer.Directories.Open(RawPath.ParentOf(path));
        var name = TreeRemover.NameBytes(RawPath.NameOf(path));
        var fd = -1;
        byte[]? tempName = null;
        try
        {
            fd = writer.CreateTemp(directory.Fd, path, out tempName, MetadataWriter.CreationMode(r.Permissions));
            if (r.Mode == FileWire.BeginPatch)
            {
                CopyCurrent(directory.Fd, name, fd, path);
            }

            if (FileNative.FTruncate(fd, r.Size) != 0)
            {
                NativeErrors.ThrowTarget("size", path, FileNative.Errno);
            }

            return new LargeFile(writer, path, directory, name, EntryMeta.From(r), r.Size, r.Mode == FileWire.BeginPatch, fd, tempName);
        }
        catch
        {
            FileNative.CloseQuietly(fd);
            EntryWriter.DiscardTemp(directory.Fd, tempName);
            directory.Dispose();
            throw;
        }
    }

    /// <summary>Checks a chunk's place (on the reader, in order) and counts it as outstanding.</summary>
    /// <exception cref="ReplicationProtocolException">The chunk is out of order, misaligned, or of the wrong length.</exception>
    public void Accept(long offset, int length, UInt128 hash)
    {
        var chunkSize = FileReplicationSettings.ChunkSize;
        var index = offset / chunkSize;
        if (offset % chunkSize != 0 || offset >= Size || length != (int)Math.Min(chunkSize, Size - offset) || index < _nextChunk || EndFrame >= 0)
        {
            throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"A chunk of '{RawPath.Display(Path)}' at offset {offset} of {length} bytes is out of place.");
        }

        if (_content is not null)
        {
            for (var i = _nextChunk; i < index; i++)
            {
                _content.Append(BlockHash.Zero); // holes the source did not send
            }

            _content.Append(hash);
        }

        _nextChunk = index + 1;
        Interlocked.Increment(ref _outstanding);
    }

    /// <summary>Writes a chunk (on a writer) after checking its hash; returns whether the file is now complete.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Write(long offset, ReadOnlySpan<byte> data, UInt128 hash, int length)
    {
        if (hash == BlockHash.Zero)
        {
            if (!data.IsEmpty)
            {
                throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, "A zero chunk carries data.");
            }

            if (Patch)
            {
                EntryWriter.Zero(_fd, offset, length, Path);
            }
            else if (!Sparse)
            {
                EntryWriter.WriteAt(_fd, new byte[length], offset, skipZeros: false, Path);
            }
        }
        else
        {
            if (data.Length != length || BlockHash.Compute(data) != hash)
            {
                throw new ReplicationProtocolException(SmsErrorCode.HashMismatch, $"A chunk of '{RawPath.Display(Path)}' at offset {offset} does not match its hash; the file was not placed.");
            }

            EntryWriter.WriteAt(_fd, data, offset, skipZeros: Sparse, Path, punchZeros: Patch, Volatile.Read(ref _directFd));
            _writer.AddWritten(length);
        }

        return Interlocked.Decrement(ref _outstanding) == 0;
    }

    /// <summary>Records the FileEnd (on the reader); returns whether every chunk is written already.</summary>
    /// <exception cref="ReplicationProtocolException">A new file's chunks do not add up to the content hash.</exception>
    public bool End(long frame, byte status, UInt128 hash)
    {
        EndFrame = frame;
        Abandoned = status == FileWire.EndAbandoned;
        if (!Abandoned && _content is not null)
        {
            var count = ContentHash.ChunkCount(Size);
            for (var i = _nextChunk; i < count; i++)
            {
                _content.Append(BlockHash.Zero);
            }

            var expected = count > 1 ? _content.Finish() : hash;
            if (expected != hash)
            {
                throw new ReplicationProtocolException(SmsErrorCode.HashMismatch, $"'{RawPath.Display(Path)}' does not match its content hash; it was not placed.");
            }
        }

        return Interlocked.Decrement(ref _outstanding) == 0;
    }

    /// <summary>Sets the metadata and links the file into place (or drops it when abandoned).</summary>
    public void Finish()
    {
        try
        {
            if (!Abandoned)
            {
                _writer.AddSkipped(MetadataWriter.ApplyToNew(_fd, Meta.View, Path, _directory.Group));
                fixed (byte* n = _name)
                {
                    _writer.Place(_fd, _tempName, _directory.Fd, n, Path);
                }

                _tempName = null;
            }
        }
        finally
        {
            Dispose();
        }
    }

    public void Dispose()
    {
        var direct = Interlocked.Exchange(ref _directFd, -1);
        if (direct >= 0)
        {
            FileNative.CloseQuietly(direct);
        }

        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            FileNative.CloseQuietly(fd);
            EntryWriter.DiscardTemp(_directory.Fd, _tempName);
            _directory.Dispose();
        }
    }

    private static void CopyCurrent(int dirFd, byte[] name, int output, string path)
    {
        fixed (byte* n = name)
        {
            var input = FileNative.OpenAt(dirFd, n, FileNative.ORdOnly | FileNative.ONoFollow | FileNative.ONonBlock | FileNative.OCloExec, 0);
            if (input < 0)
            {
                throw EntryWriter.NotAsExpected(path, FileKind.Regular, FileNative.Errno);
            }

            try
            {
                // Only the data ranges: the holes of the current file stay holes in the copy.
                var length = FileNative.LSeek(input, 0, 2);
                foreach (var (start, end) in Source.LargeFileReader.DataRanges(input, length))
                {
                    long inOffset = start;
                    long outOffset = start;
                    while (inOffset < end)
                    {
                        var n2 = FileNative.CopyFileRange(input, &inOffset, output, &outOffset, (nint)Math.Min(end - inOffset, 1L << 30), 0);
                        if (n2 <= 0)
                        {
                            if (n2 < 0 && FileNative.Errno is Errno.EXDEV or Errno.EINVAL or Errno.ENOSYS or Errno.EOPNOTSUPP)
                            {
                                CopyByReading(input, output, inOffset, end, path);
                                break;
                            }

                            if (n2 < 0)
                            {
                                NativeErrors.ThrowTarget("copy the current content of", path, FileNative.Errno);
                            }

                            break;
                        }
                    }
                }
            }
            finally
            {
                FileNative.CloseQuietly(input);
            }
        }
    }

    private static void CopyByReading(int input, int output, long from, long length, string path)
    {
        var buffer = new byte[1 << 20];
        fixed (byte* b = buffer)
        {
            for (var at = from; at < length;)
            {
                var n = FileNative.PRead(input, b, buffer.Length, at);
                if (n <= 0)
                {
                    break;
                }

                EntryWriter.PWriteAll(output, buffer.AsSpan(0, (int)n), at, path);
                at += n;
            }
        }
    }
}
