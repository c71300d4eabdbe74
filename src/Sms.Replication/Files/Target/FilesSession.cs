using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Sms.Compression;
using Sms.Diagnostics;
using Sms.Files.Wire;
using Sms.Protocol;
using Sms.Receiver;
using Sms.Replication;

namespace Sms.Files.Target;

/// <summary>
/// The receiver's side of a file-level session, entered from <see cref="ReceiveSession"/> once the token is checked.
/// The reader loop applies directory creation, large-file starts and finishing records itself, in wire order; batches
/// and chunks go to parallel writers. Frames are acknowledged by count as their prefix completes. Any refusal (a path
/// leaving the tree, a bad hash) ends the session with an Error frame that says why.
/// </summary>
internal sealed class FilesSession : IAsyncDisposable
{
    private const int AckEvery = 16;
    private readonly FrameConnection _connection;
    private readonly HelloMessage _hello;
    private readonly ReceiverOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly string _remote;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly FrameTracker _tracker = new();
    private readonly ConcurrentDictionary<ulong, LargeFile> _files = new();
    private readonly BlockCodec _codec = new(CompressionKind.None);
    private readonly byte[] _scratch = GC.AllocateUninitializedArray<byte>(FileWire.MaxPayload);
    private EntryWriter? _writer;
    private WriterPool? _pool;
    private TargetVerifier? _verifier;
    private long _lastAck;
    private FileTrees? _trees;
    private string? _tree;
    private TreeState? _state;

    public FilesSession(FrameConnection connection, HelloMessage hello, ReceiverOptions options, ILogger logger, TimeProvider timeProvider, string remote)
    {
        _connection = connection;
        _hello = hello;
        _options = options;
        _logger = logger;
        _timeProvider = timeProvider;
        _remote = remote;
    }

    public async Task ServeAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(_options.FilesRoot))
        {
            throw new ReplicationProtocolException(SmsErrorCode.InvalidState, "This receiver has no files root (--files-root): it does not take file-level sessions.");
        }

        var tree = _hello.Tree ?? _hello.Volume;
        if (!VolumeDirectory.IsValidName(tree))
        {
            throw new ReplicationProtocolException(SmsErrorCode.InvalidName, $"Refused tree name '{Native.RawPath.Display(Native.RawPath.FromText(tree ?? string.Empty))}': use 1-128 letters, digits, '.', '_' or '-', not starting with '.'.");
        }

        var trees = FileTrees.For(_options.FilesRoot, _timeProvider);
        var lease = await trees.AcquireAsync(tree, _options.VolumeBusyWait, cancellationToken).ConfigureAwait(false);
        TreeState state;
        try
        {
            var (root, opened, resetReason) = trees.Open(tree, _hello.Reset, _hello.ExpectedVolumeId, _hello.ExpectedGeneration);
            state = opened;
            _trees = trees;
            _tree = tree;
            _state = opened;
            using var directories = new DirectoryHandles(root);
            using var trash = trees.OpenTrash(tree);
            using (root)
            {
                _writer = new EntryWriter(directories, trash);
                Log.FileSessionAccepted(_logger, _remote, tree, resetReason is null ? "incremental" : "reset: " + resetReason);
                using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                _pool = new WriterPool(Math.Clamp(Environment.ProcessorCount * 2, 4, 8), FileWire.MaxPayload, RunAsync, session);
                try
                {
                    var ack = new HelloAckMessage
                    {
                        VolumeId = state.TreeId,
                        VolumeLength = state.Generation,
                        Reset = resetReason is not null,
                        ResetReason = resetReason,
                        MaxPayload = FileWire.MaxPayload,
                    };
                    await SendAsync(FrameType.HelloAck, 0, 0, ControlMessages.Serialize(ack, ProtocolJsonContext.Default.HelloAckMessage), cancellationToken).ConfigureAwait(false);
                    await ReceiveAsync(tree, session.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_pool.Failure is { } failure && !cancellationToken.IsCancellationRequested)
                {
                    // A writer failed (a refused path, a bad hash, a full disk) while the reader waited: report that.
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
                }
                finally
                {
                    await _pool.DisposeAsync().ConfigureAwait(false);
                    foreach (var file in _files.Values)
                    {
                        file.Dispose();
                    }

                    _files.Clear();
                    if (_writer.Skipped > 0)
                    {
                        Log.FileEntriesSkipped(_logger, tree, _writer.Skipped);
                    }
                }
            }
        }
        catch
        {
            lease.Dispose();
            throw;
        }

        _ = trees.FlushInBackground(tree, _state ?? state, (name, error) => Log.FileTreeFlushFailed(_logger, name, error.Message));
        lease.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        _codec.Dispose();
        _sendLock.Dispose();
        _tracker.Dispose();
        if (_pool is not null)
        {
            await _pool.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task ReceiveAsync(string tree, CancellationToken cancellationToken)
    {
        var writer = _writer!;
        var pool = _pool!;
        while (true)
        {
            var (header, payload) = await _connection.ReadFrameAsync(FileWire.MaxPayload, cancellationToken).ConfigureAwait(false);
            switch (header.Type)
            {
                case FrameType.FileBatch:
                    {
                        var frame = _tracker.Next();
                        var (buffer, start, length) = await TakeAsync(header, payload, header.RawLength, 0, cancellationToken).ConfigureAwait(false);
                        await pool.EnqueueAsync(new WriteJob(WriteJobKind.Batch, frame, buffer, start, length), cancellationToken).ConfigureAwait(false);
                        break;
                    }

                case FrameType.FileDirs:
                    {
                        var frame = _tracker.Next();
                        writer.ApplyDirectories(Contiguous(header, payload));
                        await CompleteAsync(frame, cancellationToken).ConfigureAwait(false);
                        break;
                    }

                case FrameType.FileBegin:
                    {
                        var frame = _tracker.Next();
                        Begin(Contiguous(header, payload));
                        await CompleteAsync(frame, cancellationToken).ConfigureAwait(false);
                        break;
                    }

                case FrameType.FileChunk:
                    await ChunkAsync(header, payload, cancellationToken).ConfigureAwait(false);
                    break;

                case FrameType.FileEnd:
                    await EndFileAsync(header, payload, cancellationToken).ConfigureAwait(false);
                    break;

                case FrameType.FileFinish:
                    {
                        var frame = _tracker.Next();
                        var (buffer, start, length) = await TakeAsync(header, payload, header.RawLength, 0, cancellationToken).ConfigureAwait(false);
                        try
                        {
                            await _tracker.WaitForAsync(frame, () => pool.Failure, cancellationToken).ConfigureAwait(false);
                            writer.ApplyFinish(buffer.AsSpan(start, length));
                        }
                        finally
                        {
                            pool.Return(buffer);
                        }

                        await CompleteAsync(frame, cancellationToken).ConfigureAwait(false);
                        break;
                    }

                case FrameType.End:
                    if (header.Offset != _tracker.Assigned)
                    {
                        throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"The source ended the pass after {header.Offset} frames, {_tracker.Assigned} arrived.");
                    }

                    await _tracker.WaitAllAsync(() => pool.Failure, cancellationToken).ConfigureAwait(false);
                    if (!_files.IsEmpty)
                    {
                        throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"The source ended the pass with {_files.Count} files unfinished.");
                    }

                    _state = _state! with { Generation = _state.Generation + 1 };
                    _trees!.Completed(_tree!, _state);
                    await SendAsync(FrameType.Ack, _tracker.Completed, 0, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
                    var endAck = new EndAckMessage { BytesWritten = writer.BytesWritten, FramesWritten = _tracker.Completed };
                    await SendAsync(FrameType.EndAck, 0, 0, ControlMessages.Serialize(endAck, ProtocolJsonContext.Default.EndAckMessage), cancellationToken).ConfigureAwait(false);
                    break;

                case FrameType.FileVerify:
                    _verifier ??= new TargetVerifier(writer.Directories);
                    _verifier.AddPage(Contiguous(header, payload));
                    if (header.RawLength == FileWire.LastPage)
                    {
                        await _tracker.WaitAllAsync(() => pool.Failure, cancellationToken).ConfigureAwait(false);
                        var pages = _verifier.Run();
                        for (var i = 0; i < pages.Count; i++)
                        {
                            await SendAsync(FrameType.FileVerifyResult, i, i == pages.Count - 1 ? FileWire.LastPage : 0, pages[i], cancellationToken).ConfigureAwait(false);
                        }

                        _verifier = null;
                    }

                    break;

                case FrameType.Bye:
                    await _tracker.WaitAllAsync(() => pool.Failure, cancellationToken).ConfigureAwait(false);
                    Log.FileSessionEnded(_logger, _remote, tree, _tracker.Completed, writer.BytesWritten);
                    return;

                default:
                    throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"Unexpected {header.Type} frame in a file-level session.");
            }
        }
    }

    private void Begin(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 8)
        {
            throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, "A FileBegin frame is cut short.");
        }

        var id = BinaryPrimitives.ReadUInt64BigEndian(payload);
        var reader = new RecordReader(payload[8..]);
        var record = reader.Read();
        if (record.Op != RecordOp.Begin || !reader.End)
        {
            throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, "A FileBegin frame does not hold exactly one Begin record.");
        }

        if (_files.Count >= FileWire.MaxOpenFiles || _files.ContainsKey(id))
        {
            throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"File {id} is begun twice, or more than {FileWire.MaxOpenFiles} files are open at once.");
        }

        _files[id] = LargeFile.Begin(_writer!, record);
    }

    private async Task ChunkAsync(FrameHeader header, ReadOnlySequence<byte> payload, CancellationToken cancellationToken)
    {
        var frame = _tracker.Next();
        if (payload.Length < 8)
        {
            throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, "A FileChunk frame is cut short.");
        }

        var zero = header.Hash == UInt128.Zero;
        if (zero && (payload.Length != 8 || header.Flags != FrameFlags.None))
        {
            throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, "A zero chunk carries data.");
        }

        if (header.RawLength <= 0 || header.RawLength > FileReplicationSettings.ChunkSize)
        {
            throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"A chunk of {header.RawLength} bytes is not acceptable.");
        }

        var (buffer, start, length) = await TakeAsync(header, payload, zero ? 8 : 8 + header.RawLength, 8, cancellationToken).ConfigureAwait(false);
        var id = BinaryPrimitives.ReadUInt64BigEndian(buffer.AsSpan(start));
        if (!_files.TryGetValue(id, out var file))
        {
            _pool!.Return(buffer);
            throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"A chunk names file {id}, which is not open.");
        }

        try
        {
            file.Accept(header.Offset, header.RawLength, header.Hash);
        }
        catch
        {
            _pool!.Return(buffer);
            throw;
        }

        await _pool!.EnqueueAsync(new WriteJob(WriteJobKind.Chunk, frame, buffer, start + 8, length - 8, file, header.Offset, header.RawLength, header.Hash), cancellationToken).ConfigureAwait(false);
    }

    private async Task EndFileAsync(FrameHeader header, ReadOnlySequence<byte> payload, CancellationToken cancellationToken)
    {
        var frame = _tracker.Next();
        if (payload.Length != 25)
        {
            throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, "A FileEnd frame has a wrong length.");
        }

        Span<byte> end = stackalloc byte[25];
        payload.CopyTo(end);
        var id = BinaryPrimitives.ReadUInt64BigEndian(end);
        if (!_files.TryGetValue(id, out var file) || file.EndFrame >= 0)
        {
            throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"FileEnd names file {id}, which is not open.");
        }

        if (end[8] > FileWire.EndAbandoned)
        {
            throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"FileEnd has an unknown status {end[8]}.");
        }

        if (file.End(frame, end[8], BinaryPrimitives.ReadUInt128BigEndian(end[9..])))
        {
            await _pool!.EnqueueAsync(new WriteJob(WriteJobKind.Finish, frame, null, 0, 0, file), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A writer's job.</summary>
    private async ValueTask RunAsync(WriteJob job, CancellationToken cancellationToken)
    {
        switch (job.Kind)
        {
            case WriteJobKind.Batch:
                _writer!.ApplyBatch(job.Buffer.AsSpan(job.Offset, job.Length));
                await CompleteAsync(job.Frame, cancellationToken).ConfigureAwait(false);
                break;
            case WriteJobKind.Chunk:
                var file = job.File!;
                var complete = file.Write(job.FileOffset, job.Buffer.AsSpan(job.Offset, job.Length), job.Hash, job.RawLength);
                await CompleteAsync(job.Frame, cancellationToken).ConfigureAwait(false);
                if (complete)
                {
                    await FinishAsync(file, file.EndFrame, cancellationToken).ConfigureAwait(false);
                }

                break;
            case WriteJobKind.Finish:
                await FinishAsync(job.File!, job.Frame, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private async ValueTask FinishAsync(LargeFile file, long frame, CancellationToken cancellationToken)
    {
        foreach (var (id, open) in _files)
        {
            if (ReferenceEquals(open, file))
            {
                _files.TryRemove(id, out _);
                break;
            }
        }

        file.Finish();
        await CompleteAsync(frame, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask CompleteAsync(long frame, CancellationToken cancellationToken)
    {
        var completed = _tracker.Complete(frame);
        if (completed - Interlocked.Read(ref _lastAck) < AckEvery && completed != _tracker.Assigned)
        {
            return;
        }

        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _tracker.Completed;
            if (now > _lastAck)
            {
                Interlocked.Exchange(ref _lastAck, now);
                await _connection.SendAsync(FrameType.Ack, now, 0, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async ValueTask SendAsync(FrameType type, long offset, int rawLength, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _connection.SendAsync(type, offset, rawLength, payload, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Copies (or decompresses) a payload of <paramref name="decoded"/> bytes into a pooled buffer, from the returned
    /// start on, such that the bytes after the first <paramref name="lead"/> are aligned for direct I/O; the caller
    /// returns the buffer.
    /// </summary>
    private async ValueTask<(byte[] Buffer, int Start, int Length)> TakeAsync(FrameHeader header, ReadOnlySequence<byte> payload, int decoded, int lead, CancellationToken cancellationToken)
    {
        if (decoded < 0 || decoded > FileWire.MaxPayload)
        {
            throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"A {header.Type} frame announces {decoded} bytes.");
        }

        var buffer = await _pool!.RentAsync(cancellationToken).ConfigureAwait(false);
        var start = WriterPool.PayloadStart(buffer, lead);
        try
        {
            if (header.Flags == FrameFlags.None)
            {
                if (payload.Length != decoded)
                {
                    throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"A {header.Type} frame of {payload.Length} bytes announces {decoded}.");
                }

                payload.CopyTo(buffer.AsSpan(start));
            }
            else
            {
                ReadOnlySpan<byte> packed;
                if (payload.IsSingleSegment)
                {
                    packed = payload.FirstSpan;
                }
                else
                {
                    payload.CopyTo(_scratch);
                    packed = _scratch.AsSpan(0, (int)payload.Length);
                }

                _codec.Decompress(header.Flags, packed, buffer.AsSpan(start, decoded));
            }

            return (buffer, start, decoded);
        }
        catch
        {
            _pool.Return(buffer);
            throw;
        }
    }

    /// <summary>A small uncompressed payload as one span (valid until the next read).</summary>
    private ReadOnlySpan<byte> Contiguous(FrameHeader header, ReadOnlySequence<byte> payload)
    {
        if (header.Flags != FrameFlags.None)
        {
            throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"A {header.Type} frame may not be compressed.");
        }

        if (payload.IsSingleSegment)
        {
            return payload.FirstSpan;
        }

        payload.CopyTo(_scratch);
        return _scratch.AsSpan(0, (int)payload.Length);
    }
}
