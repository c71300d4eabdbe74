using System.Buffers;
using System.Buffers.Binary;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sms.Blocks;
using Sms.Compression;
using Sms.Diagnostics;
using Sms.Manifests;
using Sms.Progress;
using Sms.Protocol;
using Sms.Replication;
using Sms.Transport;

namespace Sms.Engine;

/// <summary>
/// The source side of block replication. A pass reads the valid blocks of a source in large aligned reads, hashes
/// them (XXH128) and compresses the changed ones on several workers, and sends them in order over TLS to a
/// receiver, which acknowledges each block after checking its hash and writing it. Only blocks whose hash differs
/// from the manifest of the last pass are sent; the target is never read back. Memory is bounded by
/// <see cref="ReplicationSettings.MaxBuffers"/> × block size, whatever the disk size.
/// </summary>
public sealed class BlockReplicator
{
    private const int VerifyBatchBlocks = 2048;

    /// <summary>From this payload size a block is written to TLS directly instead of through the write buffer.</summary>
    private const int DirectPayload = 64 * 1024;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a replicator.</summary>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public BlockReplicator(ILogger<BlockReplicator>? logger = null, TimeProvider? timeProvider = null)
    {
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// Runs one pass: full when the target volume is new, was reset, or <see cref="ReplicationSettings.ForceFull"/> is
    /// set; incremental otherwise (and a pass cut short earlier resumes, sending only what was not acknowledged).
    /// </summary>
    /// <param name="source">The disk or image to replicate.</param>
    /// <param name="pairing">The receiver to send to.</param>
    /// <param name="volume">The target volume name on the receiver.</param>
    /// <param name="stateDirectory">Where the manifest is kept between passes; <see langword="null"/> for a one-off full pass.</param>
    /// <param name="settings">The settings; <see langword="null"/> for the defaults.</param>
    /// <param name="progress">Receives snapshots about four times a second.</param>
    /// <param name="cancellationToken">Cancels the pass; what was acknowledged stays acknowledged.</param>
    /// <returns>What the pass did.</returns>
    /// <exception cref="SmsException">
    /// The source size changed since the last pass (<see cref="SmsErrorCode.SourceDiskChanged"/>), the connection broke
    /// (<see cref="SmsErrorCode.ConnectionLost"/>, transient: run again to resume), the receiver refused the session or a
    /// frame (<see cref="ReplicationProtocolException"/>), or verification failed (<see cref="SmsErrorCode.VerificationFailed"/>
    /// is reported in the result, not thrown).
    /// </exception>
    public async Task<ReplicationResult> ReplicateAsync(
        IBlockSource source,
        ReceiverPairing pairing,
        string volume,
        string? stateDirectory,
        ReplicationSettings? settings = null,
        IProgress<ReplicationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(pairing);
        ArgumentException.ThrowIfNullOrEmpty(volume);
        settings ??= new ReplicationSettings();
        settings.Validate();
        if (settings.AdaptiveCompression && settings.Compression != CompressionKind.None && settings.RateLimitMbps == 0 && settings.RateLimitWindows.Count == 0
            && ReplicationConnector.IsLoopback(pairing))
        {
            // Loopback without a rate limit: the link is a memory copy; compressing only spends the CPU both ends share.
            settings = settings with { Compression = CompressionKind.None };
        }

        string? tempState = null;
        if (stateDirectory is null)
        {
            tempState = Directory.CreateTempSubdirectory("sms-state-").FullName;
            stateDirectory = tempState;
            settings = settings with { ForceFull = true };
        }

        try
        {
            return await RunPassAsync(source, pairing, volume, stateDirectory, settings, progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (tempState is not null)
            {
                Directory.Delete(tempState, recursive: true);
            }
        }
    }

    private async Task<ReplicationResult> RunPassAsync(
        IBlockSource source,
        ReceiverPairing pairing,
        string volume,
        string stateDirectory,
        ReplicationSettings settings,
        IProgress<ReplicationProgress>? progress,
        CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        var manifestPath = BlockManifest.PathFor(stateDirectory, volume);
        string? fullReason = settings.ForceFull ? "a full pass was asked for" : null;
        var previous = settings.ForceFull ? null : BlockManifest.TryOpen(manifestPath, out fullReason);
        if (previous is not null && previous.SourceLength != source.Length)
        {
            var was = previous.SourceLength;
            previous.Dispose();
            throw new SmsException(
                SmsErrorCode.SourceDiskChanged,
                $"Disk info in source has changed: '{source.Name}' is {source.Length} bytes, the last pass replicated {was} bytes. Run a full pass (--full) to start over.");
        }

        var blockSize = settings.BlockSize;
        if (previous is not null && previous.BlockSize != blockSize)
        {
            Log.BlockSizeChanged(_logger, previous.BlockSize, blockSize);
            previous.Dispose();
            previous = null;
            fullReason = "the block size changed";
        }

        var connection = await ReplicationConnector.ConnectAsync(pairing, Math.Max(64 * 1024, ProtocolConstants.MaxControlPayload + ProtocolConstants.HeaderSize), cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var hello = new HelloMessage
            {
                Token = pairing.Token,
                Volume = volume,
                SourceLength = source.Length,
                BlockSize = blockSize,
                Reset = previous is null,
                ExpectedVolumeId = previous?.VolumeId.ToString("N"),
            };
            HelloAckMessage ack;
            try
            {
                await connection.SendAsync(FrameType.Hello, 0, 0, ControlMessages.Serialize(hello, ProtocolJsonContext.Default.HelloMessage), cancellationToken).ConfigureAwait(false);
                var (header, payload) = await connection.ReadFrameAsync(ProtocolConstants.MaxControlPayload, cancellationToken).ConfigureAwait(false);
                ack = header.Type switch
                {
                    FrameType.HelloAck => ControlMessages.Deserialize(payload, ProtocolJsonContext.Default.HelloAckMessage),
                    FrameType.Error => throw PeerError(payload),
                    _ => throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"Expected HelloAck, got {header.Type}."),
                };
            }
            catch (IOException ex)
            {
                previous?.Dispose();
                throw Broken(ex, "during the handshake");
            }
            catch
            {
                previous?.Dispose();
                throw;
            }

            if (!Guid.TryParseExact(ack.VolumeId, "N", out var volumeId) || ack.MaxPayload < blockSize)
            {
                previous?.Dispose();
                throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, "The receiver's HelloAck is malformed.");
            }

            BlockManifest manifest;
            ReplicationMode mode;
            if (ack.Reset || previous is null)
            {
                previous?.Dispose();
                fullReason ??= ack.ResetReason;
                manifest = BlockManifest.CreateEmpty(manifestPath, source.Length, blockSize, volumeId);
                mode = ReplicationMode.Full;
            }
            else
            {
                manifest = previous;
                mode = ReplicationMode.Incremental;
                fullReason = null;
            }

            using (manifest)
            {
                Log.PassStarting(_logger, source.Name, volume, mode, fullReason ?? "-");
                manifest.MarkDirty();
                var ranges = await source.GetDataRangesAsync(cancellationToken).ConfigureAwait(false);
                var tracker = new ProgressTracker(BlockRanges.TotalLength(ranges), _timeProvider);
                var pass = new Pass(this, source, connection, manifest, settings, ranges, tracker);
                try
                {
                    await pass.RunAsync(progress, cancellationToken).ConfigureAwait(false);
                }
                catch (IOException ex)
                {
                    throw Broken(ex, $"after {pass.Window.Acknowledged} acknowledged blocks");
                }

                manifest.MarkClean();

                bool? verified = null;
                IReadOnlyList<long> mismatches = [];
                if (settings.Verify)
                {
                    try
                    {
                        mismatches = await pass.VerifyAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (IOException ex)
                    {
                        throw Broken(ex, "during verification");
                    }

                    verified = mismatches.Count == 0;
                    foreach (var offset in mismatches)
                    {
                        manifest.Set(offset / blockSize, BlockHash.Unknown);
                    }

                    manifest.MarkClean();
                }

                await pass.SayByeAsync(cancellationToken).ConfigureAwait(false);
                var result = new ReplicationResult
                {
                    Mode = mode,
                    SourceBytes = source.Length,
                    ValidBytes = tracker.TotalBytes,
                    BytesScanned = tracker.BytesScanned,
                    BytesSent = connection.BytesWritten,
                    BytesWritten = tracker.BytesWritten,
                    BlocksSent = pass.Window.Sent,
                    BlocksUnchanged = manifest.BlockCount - pass.Window.Sent,
                    Duration = _timeProvider.GetElapsedTime(started),
                    Verified = verified,
                    MismatchedOffsets = mismatches,
                    FullReason = mode == ReplicationMode.Full ? fullReason : null,
                };
                progress?.Report(tracker.Snapshot());
                Log.PassFinished(_logger, source.Name, volume, result.BlocksSent, result.BytesSent, result.Duration.TotalSeconds);
                return result;
            }
        }
    }

    internal static ReplicationProtocolException PeerError(ReadOnlySequence<byte> payload)
    {
        var error = ControlMessages.Deserialize(payload, ProtocolJsonContext.Default.ErrorMessage);
        return new ReplicationProtocolException(new SmsErrorCode(error.Code), $"The receiver refused: {error.Message}") { FromPeer = true };
    }

    private static SmsException Broken(IOException ex, string when)
        => new(SmsErrorCode.ConnectionLost, $"The connection to the receiver broke {when}: {ex.Message.TrimEnd('.')}. Run the same command again to resume; acknowledged blocks are not sent again.", ex) { IsTransient = true };

    /// <summary>The state of one running pass: pipeline stages, the in-flight window and the acknowledgement loop.</summary>
    private sealed class Pass
    {
        private readonly BlockReplicator _owner;
        private readonly IBlockSource _source;
        private readonly FrameConnection _connection;
        private readonly BlockManifest _manifest;
        private readonly ReplicationSettings _settings;
        private readonly IReadOnlyList<BlockRange> _ranges;
        private readonly ProgressTracker _tracker;
        private readonly TokenBucket _bucket;
        private readonly TaskCompletionSource<EndAckMessage> _endAck = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Channel<long[]> _verifyResults = Channel.CreateUnbounded<long[]>();
        private readonly CompressionGovernor _governor;
        private Task? _acknowledgements;

        public Pass(BlockReplicator owner, IBlockSource source, FrameConnection connection, BlockManifest manifest, ReplicationSettings settings, IReadOnlyList<BlockRange> ranges, ProgressTracker tracker)
        {
            _owner = owner;
            _source = source;
            _connection = connection;
            _manifest = manifest;
            _settings = settings;
            _ranges = ranges;
            _tracker = tracker;
            _bucket = new TokenBucket(new RateSchedule(settings.RateLimitMbps, settings.RateLimitWindows), owner._timeProvider);
            _governor = new CompressionGovernor(owner._timeProvider);
            Window = new InFlightWindow(manifest, settings.MaxUnacknowledgedBlocks);
        }

        public InFlightWindow Window { get; }

        public async Task RunAsync(IProgress<ReplicationProgress>? progress, CancellationToken cancellationToken)
        {
            using var failure = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var token = failure.Token;
            var blockSize = _settings.BlockSize;
            var free = Channel.CreateBounded<BlockSlot>(_settings.MaxBuffers);
            for (var i = 0; i < _settings.MaxBuffers; i++)
            {
                free.Writer.TryWrite(new BlockSlot(blockSize, BlockCodec.MaxCompressedLength(blockSize)));
            }

            var work = Channel.CreateUnbounded<BlockSlot>(new UnboundedChannelOptions { SingleWriter = true });
            var ordered = Channel.CreateUnbounded<BlockSlot>(new UnboundedChannelOptions { SingleWriter = true, SingleReader = true });

            _acknowledgements = Task.Run(() => ReadAcknowledgementsAsync(token), CancellationToken.None);
            var tasks = new List<Task>(_settings.Workers + 3)
            {
                Task.Run(() => StopAllIfFailsAsync(ReadBlocksAsync(free, work, ordered, token), failure), CancellationToken.None),
                Task.Run(() => StopAllIfFailsAsync(SendBlocksAsync(free, ordered, token), failure), CancellationToken.None),
            };
            for (var i = 0; i < _settings.Workers; i++)
            {
                tasks.Add(Task.Run(() => StopAllIfFailsAsync(HashAndCompressAsync(work, token), failure), CancellationToken.None));
            }

            using var reporter = progress is null ? null : _owner._timeProvider.CreateTimer(_ => progress.Report(_tracker.Snapshot()), null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
            var all = Task.WhenAll(tasks);

            // The acknowledgement loop only ends early by failing (an Error frame, a broken connection): then it
            // cancels the stages. A failing stage is reported as is.
            var first = await Task.WhenAny(all, _acknowledgements).ConfigureAwait(false);
            if (first == _acknowledgements)
            {
                await failure.CancelAsync().ConfigureAwait(false);
                await SwallowAsync(all).ConfigureAwait(false);

                // Cancelled because a stage failed (a source read error): report the stage's error below instead.
                if (FirstRealError(_acknowledgements) is not null || FirstRealError(all) is null)
                {
                    await _acknowledgements.ConfigureAwait(false);
                }
            }

            if (all.IsFaulted || all.IsCanceled)
            {
                await failure.CancelAsync().ConfigureAwait(false);
                var error = FirstRealError(all);
                if (error is not null)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
                }

                if (_acknowledgements.IsFaulted && FirstRealError(_acknowledgements) is { } ackError)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ackError);
                }

                await all.ConfigureAwait(false);
            }

            // Everything is sent and End is on the wire: wait for the receiver's flush.
            var endAck = await _endAck.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (Window.Acknowledged != Window.Sent)
            {
                throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"The receiver ended the pass with {Window.Sent - Window.Acknowledged} blocks unacknowledged.");
            }

            Log.ReceiverFlushed(_owner._logger, endAck.FramesWritten, endAck.BytesWritten);
        }

        public async Task<IReadOnlyList<long>> VerifyAsync(CancellationToken cancellationToken)
        {
            var count = _manifest.BlockCount;
            var batches = 0;
            var payload = ArrayPool<byte>.Shared.Rent(VerifyBatchBlocks * 16);
            try
            {
                for (long first = 0; first < count; first += VerifyBatchBlocks)
                {
                    var n = (int)Math.Min(VerifyBatchBlocks, count - first);
                    for (var i = 0; i < n; i++)
                    {
                        BlockHash.Write(_manifest.Get(first + i), payload.AsSpan(i * 16, 16));
                    }

                    _connection.Write(FrameType.VerifyRequest, FrameFlags.None, first, n, UInt128.Zero, payload.AsSpan(0, n * 16));
                    await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
                    batches++;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(payload);
            }

            var mismatches = new List<long>();
            for (var i = 0; i < batches; i++)
            {
                var indices = await ReadVerifyResultAsync(cancellationToken).ConfigureAwait(false);
                foreach (var index in indices)
                {
                    mismatches.Add(index * _settings.BlockSize);
                }
            }

            return mismatches;
        }

        public async Task SayByeAsync(CancellationToken cancellationToken)
        {
            try
            {
                await _connection.SendAsync(FrameType.Bye, 0, 0, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The pass is complete and durable; a lost goodbye changes nothing.
            }

            if (_acknowledgements is not null)
            {
                // The receiver closes the connection after Bye, which ends the acknowledgement loop.
                await SwallowAsync(_acknowledgements.WaitAsync(TimeSpan.FromSeconds(10), _owner._timeProvider, CancellationToken.None)).ConfigureAwait(false);
            }
        }

        private async Task<long[]> ReadVerifyResultAsync(CancellationToken cancellationToken)
        {
            try
            {
                return await _verifyResults.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException ex) when (ex.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
                throw;
            }
        }

        private async Task ReadBlocksAsync(Channel<BlockSlot> free, Channel<BlockSlot> work, Channel<BlockSlot> ordered, CancellationToken cancellationToken)
        {
            try
            {
                var blockSize = _settings.BlockSize;
                var length = _source.Length;
                var count = _manifest.BlockCount;
                var r = 0;
                for (long index = 0; index < count; index++)
                {
                    var start = index * blockSize;
                    var end = Math.Min(start + blockSize, length);
                    while (r < _ranges.Count && _ranges[r].End <= start)
                    {
                        r++;
                    }

                    var hasData = r < _ranges.Count && _ranges[r].Offset < end;
                    if (!hasData && _manifest.Get(index) == BlockHash.Zero)
                    {
                        continue; // a hole that is already zero on the target
                    }

                    var slot = await free.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    slot.Prepare(index, start, (int)(end - start));
                    for (var k = r; k < _ranges.Count && _ranges[k].Offset < end; k++)
                    {
                        slot.Extents.Add(BlockRange.FromBounds(Math.Max(start, _ranges[k].Offset), Math.Min(end, _ranges[k].End)));
                    }

                    ordered.Writer.TryWrite(slot);
                    if (hasData)
                    {
                        work.Writer.TryWrite(slot);
                    }
                    else
                    {
                        slot.Hash = BlockHash.Zero;
                        slot.Changed = true;
                        slot.Complete();
                    }
                }

                ordered.Writer.TryComplete();
                work.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                ordered.Writer.TryComplete(ex);
                work.Writer.TryComplete(ex);
                throw;
            }
        }

        private async Task HashAndCompressAsync(Channel<BlockSlot> work, CancellationToken cancellationToken)
        {
            using var codec = new BlockCodec(_settings.Compression);
            var reader = work.Reader;
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (reader.TryRead(out var slot))
                {
                    try
                    {
                        await FillAsync(slot, cancellationToken).ConfigureAwait(false);
                        var data = slot.Data.AsSpan(0, slot.Length);
                        slot.Hash = BlockHash.Compute(data);
                        slot.Changed = slot.Hash != _manifest.Get(slot.Index);
                        if (slot.Changed && slot.Hash != BlockHash.Zero && ShouldCompress())
                        {
                            slot.CompressionTried = true;
                            if (codec.TryCompress(data, slot.Packed, out var packed, out var flags))
                            {
                                slot.PackedLength = packed;
                                slot.Flags = flags;
                            }
                        }

                        slot.Complete();
                    }
                    catch (Exception ex)
                    {
                        slot.Fail(ex);
                    }
                }
            }
        }

        private bool ShouldCompress() => !_settings.AdaptiveCompression || _governor.Compress;

        private async ValueTask FillAsync(BlockSlot slot, CancellationToken cancellationToken)
        {
            var position = slot.Offset;
            var data = slot.Data.AsMemory(0, slot.Length);
            foreach (var extent in slot.Extents)
            {
                if (extent.Offset > position)
                {
                    data.Span[(int)(position - slot.Offset)..(int)(extent.Offset - slot.Offset)].Clear();
                }

                var target = data[(int)(extent.Offset - slot.Offset)..(int)(extent.End - slot.Offset)];
                int read;
                try
                {
                    read = await _source.ReadAsync(extent.Offset, target, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not SmsException and not OperationCanceledException)
                {
                    // A source outside the SDK may throw plain I/O errors: they are read errors, not a broken connection.
                    throw new SmsException(SmsErrorCode.SourceReadFailed, $"Reading '{_source.Name}' at offset {extent.Offset} failed: {ex.Message}", ex);
                }

                if (read != target.Length)
                {
                    throw new SmsException(
                        SmsErrorCode.SourceDiskChanged,
                        $"Disk info in source has changed: '{_source.Name}' ended at {extent.Offset + read} while reading up to {extent.End}.");
                }

                _tracker.AddScanned(read);
                position = extent.End;
            }

            if (position < slot.Offset + slot.Length)
            {
                data.Span[(int)(position - slot.Offset)..].Clear();
            }
        }

        private async Task SendBlocksAsync(Channel<BlockSlot> free, Channel<BlockSlot> ordered, CancellationToken cancellationToken)
        {
            var reader = ordered.Reader;
            long unflushed = 0;
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (reader.TryRead(out var slot))
                {
                    await slot.WaitAsync().ConfigureAwait(false);
                    if (slot.Changed)
                    {
                        await Window.WaitForRoomAsync(cancellationToken).ConfigureAwait(false);
                        Window.Add(slot.Index, slot.Hash, slot.Length, slot.CompressionTried);
                        int frame;
                        if (slot.Hash == BlockHash.Zero)
                        {
                            await _bucket.TakeAsync(ProtocolConstants.HeaderSize, cancellationToken).ConfigureAwait(false);
                            frame = _connection.Write(FrameType.Zero, FrameFlags.None, slot.Offset, slot.Length, UInt128.Zero, default);
                        }
                        else
                        {
                            await _bucket.TakeAsync(ProtocolConstants.HeaderSize + (slot.Flags == FrameFlags.None ? slot.Length : slot.PackedLength), cancellationToken).ConfigureAwait(false);
                            if (slot.PayloadMemory.Length >= DirectPayload)
                            {
                                // Large payloads go to TLS from the block buffer itself: no copy through the write buffer.
                                frame = await _connection.SendWithPayloadAsync(FrameType.Block, slot.Flags, slot.Offset, slot.Length, slot.Hash, slot.PayloadMemory, cancellationToken).ConfigureAwait(false);
                                unflushed = 0;
                                _tracker.SetSent(_connection.BytesWritten);
                                SmsReplicationMetrics.BlocksSent.Add(1);
                                SmsReplicationMetrics.BytesSent.Add(frame);
                                free.Writer.TryWrite(slot);
                                continue;
                            }

                            frame = _connection.Write(FrameType.Block, slot.Flags, slot.Offset, slot.Length, slot.Hash, slot.Payload);
                        }

                        unflushed += frame;
                        SmsReplicationMetrics.BlocksSent.Add(1);
                        SmsReplicationMetrics.BytesSent.Add(frame);
                    }

                    free.Writer.TryWrite(slot);

                    // Flush big batches at once, and whatever is pending when the next block is not ready yet.
                    if (unflushed >= 256 * 1024 || (unflushed > 0 && !reader.TryPeek(out _)))
                    {
                        await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
                        _tracker.SetSent(_connection.BytesWritten);
                        unflushed = 0;
                    }
                }
            }

            _connection.Write(FrameType.End, FrameFlags.None, Window.Sent, 0, UInt128.Zero, default);
            await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
            _tracker.SetSent(_connection.BytesWritten);
        }

        private async Task ReadAcknowledgementsAsync(CancellationToken cancellationToken)
        {
            try
            {
                while (true)
                {
                    var (header, payload) = await _connection.ReadFrameAsync(ProtocolConstants.MaxControlPayload, cancellationToken).ConfigureAwait(false);
                    switch (header.Type)
                    {
                        case FrameType.Ack:
                            var (plain, tried) = Window.Acknowledge(header.Offset);
                            _tracker.AddWritten(plain + tried);
                            _governor.OnAcknowledged(plain, tried);
                            break;
                        case FrameType.EndAck:
                            _endAck.TrySetResult(ControlMessages.Deserialize(payload, ProtocolJsonContext.Default.EndAckMessage));
                            break;
                        case FrameType.VerifyResult:
                            _verifyResults.Writer.TryWrite(ReadIndices(payload, header.RawLength));
                            break;
                        case FrameType.Error:
                            throw PeerError(payload);
                        default:
                            throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"Unexpected {header.Type} frame from the receiver.");
                    }

                }
            }

            catch (Exception ex)
            {
                _endAck.TrySetException(ex);
                _verifyResults.Writer.TryComplete(ex);
                throw;
            }
        }

        private static long[] ReadIndices(ReadOnlySequence<byte> payload, int count)
        {
            if (payload.Length != (long)count * 8)
            {
                throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, "A VerifyResult frame has a wrong length.");
            }

            var bytes = payload.ToArray();
            var indices = new long[count];
            for (var i = 0; i < count; i++)
            {
                indices[i] = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(i * 8));
            }

            return indices;
        }

        /// <summary>
        /// Runs a stage; when it fails, cancels the others. Without this a failed stage (a source read error in a
        /// worker fails its slot, then the sender) would leave the reader waiting for a free buffer forever.
        /// </summary>
        private static async Task StopAllIfFailsAsync(Task stage, CancellationTokenSource failure)
        {
            try
            {
                await stage.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await failure.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }

        private static async Task SwallowAsync(Task task)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Reported through FirstRealError.
            }
        }

        private static Exception? FirstRealError(Task task)
        {
            if (task.Exception is null)
            {
                return null;
            }

            foreach (var inner in task.Exception.Flatten().InnerExceptions)
            {
                if (inner is not OperationCanceledException)
                {
                    return inner;
                }
            }

            return null;
        }
    }
}
