using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Sms.Blocks;
using Sms.Compression;
using Sms.Diagnostics;
using Sms.Protocol;
using Sms.Replication;

namespace Sms.Receiver;

/// <summary>
/// The receiver's write stage. The session's read loop checks each data frame's bounds and decodes it into one of
/// a few pooled buffers; a write loop on another thread checks the block's hash, writes it and reports progress,
/// so that reading the network and writing the disk overlap. Memory is bounded by the pool: (depth + 1) blocks.
/// Owns its buffers, not the sink.
/// </summary>
internal sealed class BlockWriter : IAsyncDisposable
{
    private const int Depth = 4;
    private readonly FileBlockSink _sink;
    private readonly BlockCodec _codec = new(CompressionKind.None);
    private readonly Channel<Job> _jobs = Channel.CreateBounded<Job>(new BoundedChannelOptions(Depth) { SingleReader = true, SingleWriter = true });
    private readonly Channel<ArraySegment<byte>> _free = Channel.CreateBounded<ArraySegment<byte>>(Depth + 1);
    private readonly SemaphoreSlim _progress = new(0);
    private readonly Func<long, bool, CancellationToken, ValueTask> _onWritten;
    private readonly CancellationTokenSource _session;
    private readonly CancellationToken _cancellationToken;
    private readonly byte[] _packed;
    private readonly Task _loop;
    private Exception? _failure;
    private long _written;
    private long _bytes;
    private long _through;

    /// <summary>Starts the write loop.</summary>
    /// <param name="sink">The volume.</param>
    /// <param name="blockSize">The session's block size.</param>
    /// <param name="onWritten">Called after each write with the frames written so far and whether the queue is empty (to acknowledge).</param>
    /// <param name="session">The session's cancellation: it stops the loop, and the loop cancels it when a write fails so that a read loop waiting on the network wakes up.</param>
    public BlockWriter(FileBlockSink sink, int blockSize, Func<long, bool, CancellationToken, ValueTask> onWritten, CancellationTokenSource session)
    {
        _sink = sink;
        BlockSize = blockSize;
        _onWritten = onWritten;
        _session = session;
        _cancellationToken = session.Token;
        _packed = GC.AllocateUninitializedArray<byte>(blockSize);
        for (var i = 0; i < Depth + 1; i++)
        {
            _free.Writer.TryWrite(AllocateAligned(blockSize));
        }

        _loop = Task.Run(WriteLoopAsync, CancellationToken.None);
    }

    public int BlockSize { get; }

    /// <summary>Why the write loop stopped, if it failed.</summary>
    public Exception? Failure => Volatile.Read(ref _failure);

    /// <summary>Data frames accepted by the read loop.</summary>
    public long Queued { get; private set; }

    /// <summary>Data frames written.</summary>
    public long Frames => Interlocked.Read(ref _written);

    /// <summary>Bytes written or zeroed.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>The end of the highest block written.</summary>
    public long Through => Interlocked.Read(ref _through);

    /// <summary>Checks and decodes a Block frame and queues it for writing; the payload is consumed before returning.</summary>
    public async ValueTask EnqueueBlockAsync(FrameHeader header, ReadOnlySequence<byte> payload, CancellationToken cancellationToken)
    {
        CheckRange(header);
        if (header.PayloadLength > header.RawLength)
        {
            throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"A block payload of {header.PayloadLength} bytes is larger than its raw length {header.RawLength}.");
        }

        var raw = await TakeBufferAsync(cancellationToken).ConfigureAwait(false);
        if (header.Flags == FrameFlags.None)
        {
            if (header.PayloadLength != header.RawLength)
            {
                _free.Writer.TryWrite(raw);
                throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"An uncompressed block of {header.RawLength} bytes carries {header.PayloadLength}.");
            }

            // One copy, straight from the read buffer's segments into the block buffer.
            payload.CopyTo(raw.AsSpan());
            await QueueAsync(new Job(header.Offset, header.RawLength, header.Hash, raw), cancellationToken).ConfigureAwait(false);
            return;
        }

        ReadOnlySpan<byte> packed;
        if (payload.IsSingleSegment)
        {
            packed = payload.FirstSpan;
        }
        else
        {
            payload.CopyTo(_packed);
            packed = _packed.AsSpan(0, header.PayloadLength);
        }

        try
        {
            _codec.Decompress(header.Flags, packed, raw.AsSpan(0, header.RawLength));
        }
        catch
        {
            _free.Writer.TryWrite(raw);
            throw;
        }

        await QueueAsync(new Job(header.Offset, header.RawLength, header.Hash, raw), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks a Zero frame and queues it.</summary>
    public ValueTask EnqueueZeroAsync(FrameHeader header, CancellationToken cancellationToken)
    {
        CheckRange(header);
        if (header.PayloadLength != 0)
        {
            throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, "A Zero frame carries a payload.");
        }

        return QueueAsync(new Job(header.Offset, header.RawLength, BlockHash.Zero, default), cancellationToken);
    }

    /// <summary>Waits until every queued frame is written; rethrows the write loop's failure.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        while (Frames < Queued)
        {
            ThrowIfFailed();
            await _progress.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        ThrowIfFailed();
    }

    /// <summary>Hashes the requested blocks on the volume and returns the indices (u64 big-endian) that differ.</summary>
    public async Task<byte[]> VerifyAsync(FrameHeader header, ReadOnlySequence<byte> payload, CancellationToken cancellationToken)
    {
        var count = header.RawLength;
        if (header.PayloadLength != count * 16L || count <= 0)
        {
            throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, "A VerifyRequest frame has a wrong length.");
        }

        var hashes = payload.ToArray(); // copied: the payload is not valid across the reads below
        var buffer = await TakeBufferAsync(cancellationToken).ConfigureAwait(false);
        var mismatches = new List<long>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var expected = BlockHash.Read(hashes.AsSpan(i * 16, 16));
                if (expected == BlockHash.Zero)
                {
                    continue; // not a valid block: nothing to verify
                }

                var index = header.Offset + i;
                var offset = index * BlockSize;
                var length = (int)Math.Min(BlockSize, Math.Max(0, _sink.Length - offset));
                var read = length == 0 ? 0 : await _sink.ReadAsync(offset, buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                if (expected == BlockHash.Unknown || read != length || BlockHash.Compute(buffer.AsSpan(0, length)) != expected)
                {
                    mismatches.Add(index);
                }
            }
        }
        finally
        {
            _free.Writer.TryWrite(buffer);
        }

        var result = new byte[mismatches.Count * 8];
        for (var i = 0; i < mismatches.Count; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(result.AsSpan(i * 8), mismatches[i]);
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        _jobs.Writer.TryComplete();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Already reported through DrainAsync or the enqueue calls.
        }

        _codec.Dispose();
        _progress.Dispose();
    }

    private async ValueTask QueueAsync(Job job, CancellationToken cancellationToken)
    {
        try
        {
            await _jobs.Writer.WriteAsync(job, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            ThrowIfFailed();
            throw;
        }

        Queued++;
    }

    private async ValueTask<ArraySegment<byte>> TakeBufferAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _free.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            ThrowIfFailed();
            throw;
        }
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            var reader = _jobs.Reader;
            while (await reader.WaitToReadAsync(_cancellationToken).ConfigureAwait(false))
            {
                while (reader.TryRead(out var job))
                {
                    Write(job);
                    var written = Interlocked.Increment(ref _written);
                    _progress.Release();
                    await _onWritten(written, reader.Count == 0, _cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex)
        {
            // Stop the read loop: its next enqueue or drain rethrows this.
            if (ex is not OperationCanceledException || !_cancellationToken.IsCancellationRequested)
            {
                Volatile.Write(ref _failure, ex);
                _jobs.Writer.TryComplete(ex);
                _free.Writer.TryComplete(ex);
                _progress.Release();
                await _session.CancelAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    private void Write(in Job job)
    {
        try
        {
            if (job.Data.Array is null)
            {
                _sink.Zero(new BlockRange(job.Offset, job.Length));
            }
            else
            {
                var raw = job.Data.AsSpan(0, job.Length);
                if (BlockHash.Compute(raw) != job.Hash)
                {
                    throw new ReplicationProtocolException(SmsErrorCode.HashMismatch, $"The block at offset {job.Offset} does not match its hash; it was not written.");
                }

                _sink.Write(job.Offset, raw);
            }
        }
        finally
        {
            if (job.Data.Array is not null)
            {
                _free.Writer.TryWrite(job.Data);
            }
        }

        Interlocked.Add(ref _bytes, job.Length);
        InterlockedMax(ref _through, job.Offset + job.Length);
        SmsReplicationMetrics.BytesWritten.Add(job.Length);
    }

    private void CheckRange(in FrameHeader header)
    {
        if (header.RawLength <= 0 || header.RawLength > BlockSize || header.Offset % BlockSize != 0)
        {
            throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"A block frame at offset {header.Offset} of {header.RawLength} bytes is not block-aligned for {BlockSize}-byte blocks.");
        }

        if (header.Offset > _sink.Length - header.RawLength)
        {
            throw new ReplicationProtocolException(SmsErrorCode.WriteBeyondEnd, $"Refused a write of {header.RawLength} bytes at offset {header.Offset}: the volume is {_sink.Length} bytes.");
        }
    }

    private void ThrowIfFailed()
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>A block buffer on the pinned heap, aligned for direct writes (see <see cref="FileBlockSink"/>).</summary>
    private static ArraySegment<byte> AllocateAligned(int length)
    {
        var array = GC.AllocateUninitializedArray<byte>(length + FileBlockSink.DirectIoAlignment, pinned: true);
        return new ArraySegment<byte>(array, LinuxNative.AlignedStart(array), length);
    }

    /// <summary>A queued write; <see cref="Data"/> has no array for a Zero frame.</summary>
    private readonly record struct Job(long Offset, int Length, UInt128 Hash, ArraySegment<byte> Data);
}
