using System.Buffers;
using System.IO.Pipelines;

namespace Sms.Protocol;

/// <summary>
/// Frames over a duplex stream (TLS): a <see cref="PipeReader"/> for frames in and a <see cref="PipeWriter"/> for
/// frames out. One reader loop and one writer may run concurrently. A frame returned by a read is valid until the
/// next read: only this class advances the reader.
/// </summary>
public sealed class FrameConnection : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private SequencePosition _consumed;
    private bool _mustAdvance;
    private long _bytesWritten;

    /// <summary>Wraps a connected stream.</summary>
    /// <param name="stream">The stream; disposed with the connection.</param>
    /// <param name="readBufferSize">The minimum read buffer (a block frame's size is a good value).</param>
    public FrameConnection(Stream stream, int readBufferSize = 256 * 1024)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: readBufferSize, minimumReadSize: 16 * 1024, leaveOpen: true));
        _writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024, leaveOpen: true));
    }

    /// <summary>The bytes written to the stream so far (before TLS).</summary>
    /// <value>The count.</value>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <summary>The writer for frames; call <see cref="FlushAsync"/> after writing.</summary>
    /// <value>The pipe writer.</value>
    public IBufferWriter<byte> Output => _writer;

    /// <summary>Writes the preamble and flushes.</summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    public ValueTask SendPreambleAsync(CancellationToken cancellationToken = default)
    {
        FrameWriter.WritePreamble(_writer);
        Interlocked.Add(ref _bytesWritten, ProtocolConstants.PreambleSize);
        return FlushAsync(cancellationToken);
    }

    /// <summary>Writes one frame without flushing.</summary>
    /// <param name="type">The type.</param>
    /// <param name="flags">The flags.</param>
    /// <param name="offset">The offset field.</param>
    /// <param name="rawLength">The raw-length field.</param>
    /// <param name="hash">The hash field.</param>
    /// <param name="payload">The payload.</param>
    /// <returns>The bytes written.</returns>
    public int Write(FrameType type, FrameFlags flags, long offset, int rawLength, UInt128 hash, ReadOnlySpan<byte> payload)
    {
        var written = FrameWriter.WriteFrame(_writer, type, flags, offset, rawLength, hash, payload);
        Interlocked.Add(ref _bytesWritten, written);
        return written;
    }

    /// <summary>
    /// Sends a frame with a large payload without copying the payload into the write buffer: what is buffered and the
    /// header are flushed, then the payload goes straight to the stream (TLS encrypts from it). The payload must stay
    /// unchanged until the returned task completes.
    /// </summary>
    /// <param name="type">The type.</param>
    /// <param name="flags">The flags.</param>
    /// <param name="offset">The offset field.</param>
    /// <param name="rawLength">The raw-length field.</param>
    /// <param name="hash">The hash field.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The bytes sent.</returns>
    /// <exception cref="IOException">The peer is gone.</exception>
    public async ValueTask<int> SendWithPayloadAsync(FrameType type, FrameFlags flags, long offset, int rawLength, UInt128 hash, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        FrameWriter.WriteHeader(_writer.GetSpan(ProtocolConstants.HeaderSize), new FrameHeader(type, flags, payload.Length, offset, rawLength, hash));
        _writer.Advance(ProtocolConstants.HeaderSize);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        await _stream.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
        var sent = ProtocolConstants.HeaderSize + payload.Length;
        Interlocked.Add(ref _bytesWritten, sent);
        return sent;
    }

    /// <summary>Writes one frame and flushes.</summary>
    /// <param name="type">The type.</param>
    /// <param name="offset">The offset field.</param>
    /// <param name="rawLength">The raw-length field.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    public ValueTask SendAsync(FrameType type, long offset, int rawLength, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        Write(type, FrameFlags.None, offset, rawLength, UInt128.Zero, payload.Span);
        return FlushAsync(cancellationToken);
    }

    /// <summary>Flushes written frames to the stream.</summary>
    /// <param name="cancellationToken">Cancels the flush.</param>
    /// <returns>A task.</returns>
    /// <exception cref="IOException">The peer is gone.</exception>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        var result = await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCompleted)
        {
            throw new IOException("The connection is closed.");
        }
    }

    /// <summary>Reads and checks the peer's preamble.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The peer's protocol version.</returns>
    /// <exception cref="ReplicationProtocolException">Not a preamble, or an unsupported version.</exception>
    public async ValueTask<ushort> ReadPreambleAsync(CancellationToken cancellationToken = default)
    {
        AdvancePending();
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            bool done;
            ushort version;
            try
            {
                done = FrameReader.TryReadPreamble(ref buffer, out version);
            }
            catch
            {
                _reader.AdvanceTo(buffer.Start, buffer.End);
                throw;
            }

            if (done)
            {
                _reader.AdvanceTo(buffer.Start);
                if (version != ProtocolConstants.Version)
                {
                    ThrowHelper.ThrowBadPreamble($"protocol version {version} is not supported (this side speaks {ProtocolConstants.Version})");
                }

                return version;
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw ConnectionClosed();
            }
        }
    }

    /// <summary>Returns a frame already in the read buffer, without waiting for the network.</summary>
    /// <param name="maxPayload">The largest payload accepted.</param>
    /// <param name="header">The header.</param>
    /// <param name="payload">The payload; valid until the next read.</param>
    /// <returns><see langword="false"/> when no complete frame is buffered.</returns>
    /// <exception cref="ReplicationProtocolException">A malformed or oversized frame.</exception>
    public bool TryReadBufferedFrame(int maxPayload, out FrameHeader header, out ReadOnlySequence<byte> payload)
    {
        AdvancePending();
        header = default;
        payload = default;
        if (!_reader.TryRead(out var result))
        {
            return false;
        }

        return TryTakeFrame(result, maxPayload, out header, out payload);
    }

    /// <summary>Reads the next frame.</summary>
    /// <param name="maxPayload">The largest payload accepted, checked before the payload is buffered.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The header and payload; the payload is valid until the next read.</returns>
    /// <exception cref="ReplicationProtocolException">A malformed or oversized frame.</exception>
    /// <exception cref="IOException">The connection closed before a whole frame arrived.</exception>
    public async ValueTask<(FrameHeader Header, ReadOnlySequence<byte> Payload)> ReadFrameAsync(int maxPayload, CancellationToken cancellationToken = default)
    {
        AdvancePending();
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (TryTakeFrame(result, maxPayload, out var header, out var payload))
            {
                return (header, payload);
            }

            if (result.IsCompleted)
            {
                throw ConnectionClosed(result.Buffer.Length);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        AdvancePending();
        await _reader.CompleteAsync().ConfigureAwait(false);
        try
        {
            await _writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The peer is gone; nothing more to flush.
        }
        catch (ObjectDisposedException)
        {
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    private bool TryTakeFrame(ReadResult result, int maxPayload, out FrameHeader header, out ReadOnlySequence<byte> payload)
    {
        var buffer = result.Buffer;
        bool complete;
        try
        {
            complete = FrameReader.TryReadFrame(ref buffer, maxPayload, out header, out payload);
        }
        catch
        {
            _reader.AdvanceTo(buffer.Start, buffer.End);
            throw;
        }

        if (complete)
        {
            // The payload stays readable until the next read advances past it.
            _consumed = buffer.Start;
            _mustAdvance = true;
            return true;
        }

        _reader.AdvanceTo(buffer.Start, buffer.End);
        return false;
    }

    private void AdvancePending()
    {
        if (_mustAdvance)
        {
            _mustAdvance = false;
            _reader.AdvanceTo(_consumed);
        }
    }

    private static IOException ConnectionClosed(long pending = 0)
        => new(pending == 0
            ? "The peer closed the connection."
            : $"The peer closed the connection in the middle of a frame ({pending} bytes of it received).");
}
