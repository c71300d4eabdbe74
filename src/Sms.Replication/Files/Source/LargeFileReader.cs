using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Sms.Blocks;
using Sms.Files.Manifest;
using Sms.Files.Native;
using Sms.Files.Wire;
using Sms.Protocol;

namespace Sms.Files.Source;

/// <summary>
/// One chunk-reading thread. A large file is read in fixed chunks (only its data ranges when it has holes); each
/// chunk is hashed and compared with the manifest's chunk hashes, and only changed chunks are sent. The FileBegin
/// frame goes out with the first changed chunk, so a file whose content turns out unchanged costs no transfer; the
/// file's size and time are checked again after the last chunk, and a file that changed meanwhile is sent again.
/// </summary>
internal sealed unsafe class LargeFileReader : IDisposable
{
    private const int PathBufferSize = 8192;
    private readonly PassContext _context;
    private readonly byte[] _statxBuffer = GC.AllocateUninitializedArray<byte>(StatxInfo.BufferSize, pinned: true);
    private readonly byte[] _pathBuffer = GC.AllocateUninitializedArray<byte>(PathBufferSize, pinned: true);
    private readonly byte* _statx;
    private readonly byte* _path;
    private readonly PayloadCompressor _compressor;

    public LargeFileReader(PassContext context)
    {
        _context = context;
        _statx = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_statxBuffer));
        _path = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_pathBuffer));
        _compressor = new PayloadCompressor(context.Settings.Compression, context.Pool.Capacity);
    }

    public void Run()
    {
        foreach (var job in _context.LargeFiles.GetConsumingEnumerable(_context.CancellationToken))
        {
            Read(job);
        }
    }

    public void Dispose() => _compressor.Dispose();

    private void Read(LargeFileJob job)
    {
        var entry = job.Entry;
        var old = job.Old is { Kind: FileKind.Regular, LinkTo: null } o ? o : null;
        _context.FullPath(entry.Path, _pathBuffer);
        var fd = Walker.OpenNoAtime(FileNative.AtFdCwd, _path, FileNative.ORdOnly | FileNative.ONoFollow | FileNative.OCloExec | FileNative.ONonBlock);
        if (fd < 0)
        {
            var errno = FileNative.Errno;
            if (errno is Errno.ENOENT or Errno.ELOOP or Errno.ENXIO)
            {
                entry.Vanished = true;
                return;
            }

            NativeErrors.ThrowSource("open", entry.Path, errno);
        }

        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var before = Stat(fd, entry.Path);
                if (before.Kind != FileKind.Regular)
                {
                    entry.Vanished = true;
                    return;
                }

                entry.SetStat(before);
                if (Send(job, old, fd, before, attempt))
                {
                    return;
                }
            }
        }
        finally
        {
            FileNative.CloseQuietly(fd);
        }
    }

    /// <summary>One attempt; <see langword="false"/> when the file changed while read and must be read again.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Send(LargeFileJob job, FileEntry? old, int fd, in StatxInfo before, int attempt)
    {
        var entry = job.Entry;
        var xattrs = XattrBlock.Read(fd, null, entry.Path);
        entry.XattrDigest = XattrBlock.Digest(xattrs);
        var size = before.Size;
        var sparse = before.IsSparse;
        var chunkSize = FileReplicationSettings.ChunkSize;
        var count = (int)ContentHash.ChunkCount(size);
        ReadOnlySpan<UInt128> oldChunks = old is null ? default : old.Chunks ?? (old.Size > 0 ? [old.Hash] : []);
        var patch = old is not null && old.Size > 0;
        var ranges = sparse ? DataRanges(fd, size) : null;
        var range = 0;
        var fileId = _context.NextFileId();
        var begun = false;
        long bytesSent = 0;
        var chunks = new UInt128[count];
        var content = new ContentHash.Builder();
        for (var c = 0; c < count; c++)
        {
            _context.CancellationToken.ThrowIfCancellationRequested();
            var offset = (long)c * chunkSize;
            var length = (int)Math.Min(chunkSize, size - offset);
            RecordBuffer? buffer = null;
            UInt128 hash;
            if (ranges is not null)
            {
                while (range < ranges.Count && ranges[range].End <= offset)
                {
                    range++;
                }
            }

            if (ranges is not null && (range >= ranges.Count || ranges[range].Start >= offset + length))
            {
                hash = BlockHash.Zero; // a hole: nothing to read
            }
            else
            {
                buffer = _context.Pool.Rent(_context.CancellationToken);
                buffer.WriteUInt64((ulong)fileId);
                var data = buffer.Reserve(length);
                ReadChunk(fd, entry.Path, offset, data, ranges, range);
                _context.Counters.AddScanned(length);
                hash = BlockHash.Compute(data);
            }

            chunks[c] = hash;
            content.Append(hash);
            // A patch sends the chunks that differ from the target's; beyond the old end, a hole of a sparse file is
            // already a hole once the copy is extended. A new file gets every chunk but the holes of a sparse one.
            var send = patch
                ? (c < oldChunks.Length ? oldChunks[c] != hash : hash != BlockHash.Zero || !sparse)
                : hash != BlockHash.Zero || !sparse;
            if (!send)
            {
                Return(buffer);
                continue;
            }

            if (!begun)
            {
                SendBegin(fileId, entry, sparse, xattrs, patch);
                begun = true;
            }

            if (hash == BlockHash.Zero)
            {
                Return(buffer);
                var zero = new RecordBuffer(8);
                zero.WriteUInt64((ulong)fileId);
                _context.Sender.Enqueue(OutFrame.Payload(FrameType.FileChunk, zero, pooled: false, offset, length, BlockHash.Zero));
                continue; // no data written (a hole, or zeros the receiver makes itself)
            }
            else
            {
                var flags = _context.ShouldCompress() ? _compressor.TryCompress(buffer!) : FrameFlags.None;
                var frame = OutFrame.Payload(FrameType.FileChunk, buffer!, pooled: true, offset, length, hash);
                frame.Flags = flags;
                _context.Sender.Enqueue(frame);
            }

            bytesSent += length;
        }

        var after = Stat(fd, entry.Path);
        if (after.Size != before.Size || after.Modify != before.Modify)
        {
            _context.Counters.AddChangedDuringRead();
            if (attempt < _context.Settings.ChangedFileRetries)
            {
                if (begun)
                {
                    SendEnd(fileId, FileWire.EndAbandoned, UInt128.Zero, null, 0);
                }

                return false;
            }

            entry.Flags |= EntryFlags.Racy;
        }

        entry.Hash = content.Finish();
        entry.Chunks = count > 1 ? chunks : null;
        if (count <= 1)
        {
            entry.Hash = count == 0 ? BlockHash.Zero : chunks[0];
        }

        entry.ReadThisPass = true;
        entry.Flags |= (sparse ? EntryFlags.Sparse : EntryFlags.None) | (entry.Modify >= _context.RacyFrom ? EntryFlags.Racy : EntryFlags.None);
        if (!begun && patch && old!.Size == size)
        {
            // Every chunk is as the target has it: at most the metadata changed.
            if (old.Modify == entry.Modify && entry.SameOwnershipAndMode(old))
            {
                _context.Counters.AddUnchanged(1);
                return true;
            }

            var meta = new RecordBuffer(3 + entry.Path.Length + RecordBuffer.MetaLength(xattrs));
            meta.Begin(RecordOp.Meta, entry.Path);
            meta.WriteMeta(entry, entry.XattrDigest != old.XattrDigest ? MetaFlags.ReplaceXattrs : MetaFlags.None, xattrs);
            meta.Changes.Add(new ManifestChange(entry, null, 0));
            _context.Sender.Enqueue(OutFrame.Payload(FrameType.FileBatch, meta, pooled: false, rawLength: meta.Length));
            _context.Counters.AddMetadataOnly();
            return true;
        }

        if (!begun)
        {
            SendBegin(fileId, entry, sparse, xattrs, patch);
        }

        SendEnd(fileId, FileWire.EndComplete, entry.Hash, entry, bytesSent);
        entry.ContentSent = true;
        _context.Counters.AddFileSent();
        job.Parent.NeedsDirectoryMetadata = true;
        return true;
    }

    private void SendBegin(long fileId, FileEntry entry, bool sparse, byte[]? xattrs, bool patch)
    {
        var begin = new RecordBuffer(8 + 3 + entry.Path.Length + RecordBuffer.MetaLength(xattrs) + 9);
        begin.WriteUInt64((ulong)fileId);
        begin.Begin(RecordOp.Begin, entry.Path);
        begin.WriteMeta(entry, sparse ? MetaFlags.Sparse : MetaFlags.None, xattrs);
        begin.WriteInt64(entry.Size);
        begin.WriteByte(patch ? FileWire.BeginPatch : FileWire.BeginNew);
        _context.Sender.Enqueue(OutFrame.Payload(FrameType.FileBegin, begin, pooled: false));
    }

    private void SendEnd(long fileId, byte status, UInt128 hash, FileEntry? entry, long bytes)
    {
        var end = new RecordBuffer(25);
        end.WriteUInt64((ulong)fileId);
        end.WriteByte(status);
        end.WriteUInt128(hash);
        if (entry is not null)
        {
            end.Changes.Add(new ManifestChange(entry, null, bytes, TouchesParent: true));
        }

        _context.Sender.Enqueue(OutFrame.Payload(FrameType.FileEnd, end, pooled: false));
    }

    private void Return(RecordBuffer? buffer)
    {
        if (buffer is not null)
        {
            _context.Pool.Return(buffer);
        }
    }

    private StatxInfo Stat(int fd, string path)
    {
        if (FileNative.Statx(fd, FileNative.EmptyPath, FileNative.AtEmptyPath, FileNative.StatxBasicStats, _statx) != 0)
        {
            NativeErrors.ThrowSource("stat", path, FileNative.Errno);
        }

        return StatxInfo.Parse(new ReadOnlySpan<byte>(_statx, StatxInfo.BufferSize));
    }

    /// <summary>Reads a chunk: its data ranges only when the file has holes (the rest is zeros). A short read leaves zeros.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadChunk(int fd, string path, long offset, Span<byte> data, List<(long Start, long End)>? ranges, int range)
    {
        if (ranges is null)
        {
            var n = PRead(fd, path, data, offset);
            data[n..].Clear();
            return;
        }

        data.Clear();
        var end = offset + data.Length;
        for (var r = range; r < ranges.Count && ranges[r].Start < end; r++)
        {
            var from = Math.Max(offset, ranges[r].Start);
            var to = Math.Min(end, ranges[r].End);
            if (to > from)
            {
                PRead(fd, path, data.Slice((int)(from - offset), (int)(to - from)), from);
            }
        }
    }

    private static int PRead(int fd, string path, Span<byte> data, long offset)
    {
        var total = 0;
        fixed (byte* p = data)
        {
            while (total < data.Length)
            {
                var n = FileNative.PRead(fd, p + total, data.Length - total, offset + total);
                if (n < 0)
                {
                    var errno = FileNative.Errno;
                    if (errno == Errno.EINTR)
                    {
                        continue;
                    }

                    NativeErrors.ThrowSource("read", path, errno);
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

    /// <summary>The data ranges of a file with holes (SEEK_DATA/SEEK_HOLE); the whole file where the file system cannot tell.</summary>
    internal static List<(long Start, long End)> DataRanges(int fd, long length)
    {
        var ranges = new List<(long, long)>();
        long position = 0;
        while (position < length)
        {
            var data = FileNative.LSeek(fd, position, FileNative.SeekData);
            if (data < 0)
            {
                if (FileNative.Errno == Errno.ENXIO)
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

            var hole = FileNative.LSeek(fd, data, FileNative.SeekHole);
            if (hole < 0 || hole > length)
            {
                hole = length;
            }

            ranges.Add((data, hole));
            position = hole;
        }

        return ranges;
    }
}
