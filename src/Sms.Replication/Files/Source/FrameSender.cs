using System.Buffers;
using System.Threading.Channels;
using Sms.Diagnostics;
using Sms.Engine;
using Sms.Files.Wire;
using Sms.Protocol;
using Sms.Transport;

namespace Sms.Files.Source;

/// <summary>
/// The source's side of the connection during a file-level pass: one sender writes queued frames in order (MkDir
/// records coalesced into FileDirs frames), within the in-flight window and the rate limit; one reader takes the
/// receiver's acknowledgements, end acknowledgement, verify results and errors.
/// </summary>
internal sealed class FrameSender
{
    private const int DirsFrameBytes = 256 * 1024;
    private const int FlushBytes = 256 * 1024;
    private readonly FrameConnection _connection;
    private readonly FrameWindow _window;
    private readonly TokenBucket _bucket;
    private readonly BufferPool _pool;
    private readonly Channel<OutFrame> _frames = Channel.CreateUnbounded<OutFrame>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource<EndAckMessage> _endAck = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<byte[]> _verifyPages = Channel.CreateUnbounded<byte[]>();
    private readonly RecordBuffer _dirs = new(DirsFrameBytes + FileWire.RecordOverhead);
    private int _backlog;
    private long _unflushed;

    public FrameSender(FrameConnection connection, FrameWindow window, TokenBucket bucket, BufferPool pool)
    {
        _connection = connection;
        _window = window;
        _bucket = bucket;
        _pool = pool;
    }

    /// <summary>Frames queued and not yet written: a backlog means the link (or the receiver) is the bottleneck.</summary>
    public int Backlog => Volatile.Read(ref _backlog);

    public FrameWindow Window => _window;

    public Task<EndAckMessage> EndAck => _endAck.Task;

    public void Enqueue(OutFrame frame)
    {
        Interlocked.Increment(ref _backlog);
        if (!_frames.Writer.TryWrite(frame))
        {
            Interlocked.Decrement(ref _backlog);
            ReturnBuffer(frame);
            throw new OperationCanceledException("The sender stopped.");
        }
    }

    /// <summary>No more frames: the sender writes End after the queued ones.</summary>
    public void Complete() => _frames.Writer.TryComplete();

    /// <summary>Stops the sender (on a failure elsewhere); queued buffers go back to the pool.</summary>
    public void Abort(Exception error) => _frames.Writer.TryComplete(error);

    public async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        var reader = _frames.Reader;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (reader.TryRead(out var frame))
                {
                    Interlocked.Decrement(ref _backlog);
                    if (frame.Directory is { } directory)
                    {
                        if (_dirs.Free < FileWire.RecordOverhead || _dirs.Length >= DirsFrameBytes)
                        {
                            await WriteDirsAsync(cancellationToken).ConfigureAwait(false);
                        }

                        _dirs.Begin(RecordOp.MkDir, directory);
                        continue;
                    }

                    if (_dirs.Length > 0)
                    {
                        await WriteDirsAsync(cancellationToken).ConfigureAwait(false);
                    }

                    try
                    {
                        await WriteAsync(frame, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        ReturnBuffer(frame);
                    }

                    if (_unflushed >= FlushBytes)
                    {
                        await FlushAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                if (_dirs.Length > 0)
                {
                    await WriteDirsAsync(cancellationToken).ConfigureAwait(false);
                }

                if (_unflushed > 0)
                {
                    await FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            _connection.Write(FrameType.End, FrameFlags.None, _window.Sent, 0, UInt128.Zero, default);
            await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Whatever is still queued (after a failure) gives its buffers back.
            while (reader.TryRead(out var left))
            {
                ReturnBuffer(left);
            }
        }
    }

    public async Task AckLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var (header, payload) = await _connection.ReadFrameAsync(FileWire.MaxPayload, cancellationToken).ConfigureAwait(false);
                switch (header.Type)
                {
                    case FrameType.Ack:
                        _window.Acknowledge(header.Offset);
                        break;
                    case FrameType.EndAck:
                        _endAck.TrySetResult(ControlMessages.Deserialize(payload, ProtocolJsonContext.Default.EndAckMessage));
                        break;
                    case FrameType.FileVerifyResult:
                        var page = new byte[payload.Length + 1];
                        page[0] = (byte)header.RawLength;
                        payload.CopyTo(page.AsSpan(1));
                        _verifyPages.Writer.TryWrite(page);
                        break;
                    case FrameType.Error:
                        throw BlockReplicator.PeerError(payload);
                    default:
                        throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"Unexpected {header.Type} frame from the receiver.");
                }
            }
        }
        catch (Exception ex)
        {
            _endAck.TrySetException(ex);
            _verifyPages.Writer.TryComplete(ex);
            throw;
        }
    }

    /// <summary>The next verify result page: byte 0 is 1 on the last page, then records.</summary>
    public async Task<byte[]> ReadVerifyPageAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _verifyPages.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }

    /// <summary>Writes a frame outside the pass (verify pages) and flushes.</summary>
    public async Task SendControlAsync(FrameType type, long offset, int rawLength, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await _bucket.TakeAsync(ProtocolConstants.HeaderSize + payload.Length, cancellationToken).ConfigureAwait(false);
        await _connection.SendAsync(type, offset, rawLength, payload, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits for room in the in-flight window. Frames written but not flushed cannot be acknowledged: when the window
    /// is full, they go out first, or sender and receiver would wait for each other.
    /// </summary>
    private async ValueTask WaitForRoomAsync(CancellationToken cancellationToken)
    {
        if (!_window.TryTakeRoom())
        {
            if (_unflushed > 0)
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            await _window.WaitForRoomAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
        _unflushed = 0;
    }

    private async ValueTask<int> WriteDirsAsync(CancellationToken cancellationToken)
    {
        await WaitForRoomAsync(cancellationToken).ConfigureAwait(false);
        _window.Add(null);
        await _bucket.TakeAsync(ProtocolConstants.HeaderSize + _dirs.Length, cancellationToken).ConfigureAwait(false);
        var written = _connection.Write(FrameType.FileDirs, FrameFlags.None, 0, _dirs.Length, UInt128.Zero, _dirs.Written);
        _dirs.Reset();
        _unflushed += written;
        SmsReplicationMetrics.BytesSent.Add(written);
        return written;
    }

    private async ValueTask<int> WriteAsync(OutFrame frame, CancellationToken cancellationToken)
    {
        var length = frame.Buffer?.Length ?? 0;
        await WaitForRoomAsync(cancellationToken).ConfigureAwait(false);
        _window.Add(frame.Buffer is { Changes.Count: > 0 } b ? [.. b.Changes] : null);
        await _bucket.TakeAsync(ProtocolConstants.HeaderSize + length, cancellationToken).ConfigureAwait(false);
        var written = _connection.Write(frame.Type, frame.Flags, frame.Offset, frame.RawLength, frame.Hash, frame.Buffer is null ? default : frame.Buffer.Written);
        _unflushed += written;
        SmsReplicationMetrics.BytesSent.Add(written);
        return written;
    }

    private void ReturnBuffer(OutFrame frame)
    {
        if (frame.Pooled && frame.Buffer is { } buffer)
        {
            _pool.Return(buffer);
        }
    }
}
