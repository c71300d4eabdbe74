using System.Threading.Channels;

namespace Sms.Files.Target;

/// <summary>
/// A few writers applying batches and chunks in parallel (file systems scale with concurrent creates), from a
/// bounded queue; frame buffers come from a fixed pool, so a session's memory is bounded whatever the source sends.
/// A failing job stops the session: it is recorded, and the session's cancellation wakes the reader.
/// </summary>
internal sealed class WriterPool : IAsyncDisposable
{
    private readonly Channel<WriteJob> _jobs;
    private readonly Channel<byte[]> _free;
    private readonly Func<WriteJob, CancellationToken, ValueTask> _run;
    private readonly CancellationTokenSource _session;
    private readonly Task[] _writers;
    private Exception? _failure;

    public WriterPool(int writers, int bufferSize, Func<WriteJob, CancellationToken, ValueTask> run, CancellationTokenSource session)
    {
        _run = run;
        _session = session;
        _jobs = Channel.CreateBounded<WriteJob>(new BoundedChannelOptions(writers * 2) { SingleWriter = true });
        var buffers = (writers * 2) + 3;
        _free = Channel.CreateBounded<byte[]>(buffers);
        for (var i = 0; i < buffers; i++)
        {
            _free.Writer.TryWrite(GC.AllocateUninitializedArray<byte>(bufferSize + Blocks.LinuxNative.DirectIoAlignment, pinned: true));
        }

        _writers = new Task[writers];
        for (var i = 0; i < writers; i++)
        {
            _writers[i] = Task.Run(WriteLoopAsync, CancellationToken.None);
        }
    }

    public Exception? Failure => Volatile.Read(ref _failure);

    public async ValueTask<byte[]> RentAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _free.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (Failure is { } failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            throw;
        }
    }

    public void Return(byte[] buffer) => _free.Writer.TryWrite(buffer);

    /// <summary>
    /// Where a frame's payload goes in a pooled buffer: the index at which the payload's <paramref name="lead"/> bytes
    /// end on an alignment boundary, so that a chunk after its file id can be written with O_DIRECT. The buffers are
    /// pinned, so the index stays right.
    /// </summary>
    public static int PayloadStart(byte[] buffer, int lead) => Blocks.LinuxNative.AlignedStart(buffer, lead);

    public async ValueTask EnqueueAsync(WriteJob job, CancellationToken cancellationToken)
    {
        try
        {
            await _jobs.Writer.WriteAsync(job, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException && Failure is not null)
        {
            if (job.Buffer is not null)
            {
                Return(job.Buffer);
            }

            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(Failure!);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _jobs.Writer.TryComplete();
        foreach (var writer in _writers)
        {
            try
            {
                await writer.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Reported through Failure.
            }
        }

        // Jobs left behind by a failure release what they hold.
        while (_jobs.Reader.TryRead(out var job))
        {
            job.File?.Dispose();
        }
    }

    private async Task WriteLoopAsync()
    {
        var token = _session.Token;
        try
        {
            var reader = _jobs.Reader;
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var job))
                {
                    try
                    {
                        await _run(job, token).ConfigureAwait(false);
                    }
                    finally
                    {
                        if (job.Buffer is not null)
                        {
                            Return(job.Buffer);
                        }
                    }
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
        {
            if (Interlocked.CompareExchange(ref _failure, ex, null) is null)
            {
                _jobs.Writer.TryComplete(ex);
                await _session.CancelAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The session ended.
        }
    }
}

/// <summary>What a writer does: a batch of records, a chunk of a large file, or a large file's finish.</summary>
internal sealed record WriteJob(WriteJobKind Kind, long Frame, byte[]? Buffer, int Offset, int Length, LargeFile? File = null, long FileOffset = 0, int RawLength = 0, UInt128 Hash = default);

internal enum WriteJobKind
{
    Batch,
    Chunk,
    Finish,
}
