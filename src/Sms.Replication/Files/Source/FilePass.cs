using Microsoft.Extensions.Logging;
using Sms.Diagnostics;
using Sms.Files.Manifest;
using Sms.Files.Native;
using Sms.Files.Wire;
using Sms.Protocol;
using Sms.Replication;
using Sms.Transport;

namespace Sms.Files.Source;

/// <summary>One file-level pass on the source: handshake, walk and send, finish, manifest, verification.</summary>
internal sealed class FilePass : IDisposable
{
    private readonly FileReplicator _owner;
    private readonly SourceRoot _root;
    private readonly ReceiverPairing _pairing;
    private readonly string _tree;
    private readonly string _stateDirectory;
    private readonly FileReplicationSettings _settings;
    private readonly CancellationTokenSource _ackStop = new();
    private Task? _acks;
    private Task<byte[]>? _encoded;
    private long _started;

    public FilePass(FileReplicator owner, SourceRoot root, ReceiverPairing pairing, string tree, string stateDirectory, FileReplicationSettings settings)
    {
        _owner = owner;
        _root = root;
        _pairing = pairing;
        _tree = tree;
        _stateDirectory = stateDirectory;
        _settings = settings;
    }

    public async Task<FileReplicationResult> RunAsync(IProgress<ReplicationProgress>? progress, CancellationToken cancellationToken)
    {
        try
        {
            return await RunPassAsync(progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await _ackStop.CancelAsync().ConfigureAwait(false);
        }
    }

    public void Dispose() => _ackStop.Dispose();

    private async Task<FileReplicationResult> RunPassAsync(IProgress<ReplicationProgress>? progress, CancellationToken cancellationToken)
    {
        var time = _owner.TimeProvider;
        var started = _started = time.GetTimestamp();
        var startedAt = time.GetUtcNow();
        Directory.CreateDirectory(_stateDirectory);
        var manifestPath = FileManifest.PathFor(_stateDirectory, _tree);
        var journalPath = FileManifest.JournalPathFor(_stateDirectory, _tree);
        Trace("start");
        var rootEntry = StatRoot();

        // The TLS handshake and the manifest's decoding overlap.
        var connecting = ReplicationConnector.ConnectAsync(_pairing, 64 * 1024, cancellationToken);
        FileManifest? previous;
        string? fullReason;
        try
        {
            previous = FileManifest.TryLoad(manifestPath, journalPath, out fullReason);
        }
        catch
        {
            await FileReplicator.SwallowAsync(DisposeWhenConnectedAsync(connecting)).ConfigureAwait(false);
            throw;
        }

        Trace("manifest loaded");
        var connection = await connecting.ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            Trace("connected");
            var ack = await HandshakeAsync(connection, previous, cancellationToken).ConfigureAwait(false);
            Trace("handshake");
            if (!Guid.TryParseExact(ack.VolumeId, "N", out var treeId) || ack.MaxPayload < FileWire.MaxPayload)
            {
                throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, "The receiver's HelloAck is malformed.");
            }

            ReplicationMode mode;
            FileManifest manifest;
            if (ack.Reset || previous is null)
            {
                fullReason = previous is null ? fullReason : ack.ResetReason ?? "the receiver reset the tree";
                manifest = new FileManifest(treeId) { Generation = ack.VolumeLength };
                mode = ReplicationMode.Full;
                manifest.Save(manifestPath);
            }
            else
            {
                manifest = previous;
                mode = ReplicationMode.Incremental;
                fullReason = null;
                if (File.Exists(journalPath))
                {
                    manifest.Save(manifestPath); // the replayed journal becomes the base
                }
            }

            Log.FilePassStarting(_owner.Logger, _root.FullPath, _tree, mode, fullReason ?? "-");
            var exclusions = Exclusions(mode);
            var journal = ManifestJournal.Create(journalPath, treeId, manifest.Generation);
            using var pool = new BufferPool(_settings.MaxBuffers, PayloadCompressor.BufferCapacity);
            using var window = new FrameWindow(_settings.MaxUnacknowledgedFrames, journal);
            var sender = new FrameSender(connection, window, new TokenBucket(new RateSchedule(_settings.RateLimitMbps, _settings.RateLimitWindows), time), pool);
            var racyFrom = new FileTime(startedAt.ToUnixTimeSeconds() - 1, 0);
            var context = new PassContext(_root.RawPrefix, EffectiveSettings(), exclusions, manifest.Entries, sender, pool, racyFrom, cancellationToken);
            manifest.Entries.TryGetValue(string.Empty, out var oldRoot);
            using var walk = new TreeWalk(context);
            var finish = new FinishPlanner(context, walk.Entries);
            using var reporter = progress is null ? null : new ProgressReporter(progress, context, window, connection, time);
            var final = new FileManifest(treeId) { Generation = manifest.Generation + 1 };
            try
            {
                await RunPipelineAsync(context, walk, finish, final, rootEntry, oldRoot is { Kind: FileKind.Directory } ? oldRoot : null, cancellationToken).ConfigureAwait(false);
                Trace("end acked");

                // The receiver completed the pass: the journal says so first (a crash before the manifest is written
                // then still matches the receiver's generation), then the new manifest, encoded while the receiver worked.
                journal.Completed(final.Generation);
                FileManifest.Write(manifestPath, await _encoded!.ConfigureAwait(false));
            }
            finally
            {
                journal.Dispose();
            }

            File.Delete(journalPath);
            Trace("manifest saved");

            FileVerificationReport? report = null;
            if (_settings.Verify != FileVerifyMode.None)
            {
                var verifier = new SourceVerifier(context, sender, final);
                try
                {
                    report = await verifier.RunAsync(_settings.Verify, cancellationToken).ConfigureAwait(false);
                }
                catch (IOException ex)
                {
                    throw FileReplicator.Broken(ex, "during verification");
                }

                if (!report.Consistent)
                {
                    verifier.ForgetDifferences(report);
                    final.Save(manifestPath);
                }
            }

            await SayByeAsync(connection, sender, cancellationToken).ConfigureAwait(false);
            Trace("bye");
            var counters = context.Counters;
            var result = new FileReplicationResult
            {
                Mode = mode,
                EntriesScanned = final.Entries.Count,
                EntriesExcluded = counters.Excluded,
                BytesScanned = counters.BytesScanned,
                BytesSent = connection.BytesWritten,
                BytesWritten = window.BytesWritten,
                FilesSent = counters.FilesSent,
                EntriesCreated = counters.Created,
                MetadataOnly = counters.MetadataOnly,
                Deleted = counters.Deleted,
                Unchanged = counters.Unchanged,
                ChangedDuringRead = counters.ChangedDuringRead,
                Duration = time.GetElapsedTime(started),
                Verification = report,
                FullReason = mode == ReplicationMode.Full ? fullReason : null,
            };
            reporter?.Report();
            Log.FilePassFinished(_owner.Logger, _root.FullPath, _tree, result.FilesSent, result.BytesSent, result.Duration.TotalSeconds);
            return result;
        }
    }

    private async Task RunPipelineAsync(PassContext context, TreeWalk walk, FinishPlanner finish, FileManifest final, FileEntry rootEntry, FileEntry? oldRoot, CancellationToken cancellationToken)
    {
        using var failure = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = failure.Token;
        var sender = context.Sender;
        var acks = _acks = Task.Run(() => sender.AckLoopAsync(_ackStop.Token), CancellationToken.None);
        var sending = Task.Run(() => sender.SendLoopAsync(token), CancellationToken.None);
        var producing = Task.Run(() => ProduceAsync(context, walk, finish, final, rootEntry, oldRoot, failure), CancellationToken.None);
        var work = Task.WhenAll(producing, sending);
        var first = await Task.WhenAny(work, acks).ConfigureAwait(false);
        if (first == acks || work.IsFaulted || work.IsCanceled)
        {
            await failure.CancelAsync().ConfigureAwait(false);
            await _ackStop.CancelAsync().ConfigureAwait(false);
            sender.Abort(new OperationCanceledException());
            await FileReplicator.SwallowAsync(work).ConfigureAwait(false);
            await FileReplicator.SwallowAsync(acks.WaitAsync(TimeSpan.FromSeconds(5), _owner.TimeProvider, CancellationToken.None)).ConfigureAwait(false);
            var error = FileReplicator.FirstRealError(acks, producing, sending);
            cancellationToken.ThrowIfCancellationRequested();
            if (error is IOException io)
            {
                throw FileReplicator.Broken(io, $"after {sender.Window.Acknowledged} acknowledged frames");
            }

            FileReplicator.Rethrow(error ?? new OperationCanceledException());
        }

        try
        {
            var endAck = await sender.EndAck.WaitAsync(cancellationToken).ConfigureAwait(false);
            Log.ReceiverFlushed(_owner.Logger, endAck.FramesWritten, endAck.BytesWritten);
        }
        catch (IOException ex)
        {
            throw FileReplicator.Broken(ex, "waiting for the end of the pass");
        }

        if (sender.Window.Acknowledged != sender.Window.Sent)
        {
            throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"The receiver ended the pass with {sender.Window.Sent - sender.Window.Acknowledged} frames unacknowledged.");
        }
    }

    /// <summary>Walk, chunk readers, hard links, finish: everything that queues frames; then completes the queue.</summary>
    private async Task ProduceAsync(PassContext context, TreeWalk walk, FinishPlanner finish, FileManifest final, FileEntry rootEntry, FileEntry? oldRoot, CancellationTokenSource failure)
    {
        var readers = new LargeFileReader[_settings.LargeFileWorkers];
        var reading = new Task[readers.Length];
        try
        {
            for (var i = 0; i < readers.Length; i++)
            {
                var reader = readers[i] = new LargeFileReader(context);
                reading[i] = Task.Factory.StartNew(reader.Run, context.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }

            var walking = walk.RunAsync(rootEntry, oldRoot);
            var all = Task.WhenAll([walking, .. reading]);
            if (await Task.WhenAny(walking, Task.WhenAny(reading)).ConfigureAwait(false) != walking && !walking.IsCompleted)
            {
                // A reader failed while the walk was still going: stop the walk.
                await failure.CancelAsync().ConfigureAwait(false);
            }

            await walking.ConfigureAwait(false);
            Trace("walked");
            using (var linker = new Walker(context, walk))
            {
                finish.ResolveHardLinks(linker);
            }

            context.LargeFiles.CompleteAdding();
            await all.ConfigureAwait(false);
            Trace("large done");
            finish.QueueFinish();
            Trace("finish queued");
            context.Sender.Complete();

            // The new manifest, should the receiver complete the pass: what the walk found, plus what the exclusions
            // kept. Encoded now, while the receiver finishes.
            _encoded = Task.Run(() =>
            {
                foreach (var entry in walk.Entries)
                {
                    if (!entry.Vanished)
                    {
                        final.Entries[entry.Path] = entry;
                    }
                }

                foreach (var kept in finish.Kept)
                {
                    final.Entries[kept.Path] = kept;
                }

                return final.Encode();
            });
        }
        catch (Exception ex)
        {
            await failure.CancelAsync().ConfigureAwait(false);
            context.LargeFiles.CompleteAdding();
            var started = Array.FindAll(reading, static t => t is not null);
            await FileReplicator.SwallowAsync(Task.WhenAll(started)).ConfigureAwait(false);
            context.Sender.Abort(ex);
            if (ex is OperationCanceledException && FileReplicator.FirstRealError(started) is { } real and not OperationCanceledException)
            {
                FileReplicator.Rethrow(real);
            }

            throw;
        }
        finally
        {
            foreach (var reader in readers)
            {
                reader?.Dispose();
            }
        }
    }

    private static async Task DisposeWhenConnectedAsync(Task<FrameConnection> connecting)
    {
        var connection = await connecting.ConfigureAwait(false);
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Logs the end of a phase with the time since the pass started (debug level).</summary>
    private void Trace(string phase)
    {
        if (_owner.Logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug))
        {
            var milliseconds = _owner.TimeProvider.GetElapsedTime(_started).TotalMilliseconds;
            Log.FilePassPhase(_owner.Logger, phase, milliseconds);
        }
    }

    private async Task<HelloAckMessage> HandshakeAsync(FrameConnection connection, FileManifest? previous, CancellationToken cancellationToken)
    {
        var hello = new HelloMessage
        {
            Token = _pairing.Token,
            Kind = FileWire.Kind,
            Tree = _tree,
            Volume = _tree,
            SourceLength = 0,
            BlockSize = FileReplicationSettings.ChunkSize,
            Reset = previous is null,
            ExpectedVolumeId = previous?.TreeId.ToString("N"),
            ExpectedGeneration = previous?.Generation,
        };
        try
        {
            await connection.SendAsync(FrameType.Hello, 0, 0, ControlMessages.Serialize(hello, ProtocolJsonContext.Default.HelloMessage), cancellationToken).ConfigureAwait(false);
            var (header, payload) = await connection.ReadFrameAsync(ProtocolConstants.MaxControlPayload, cancellationToken).ConfigureAwait(false);
            return header.Type switch
            {
                FrameType.HelloAck => ControlMessages.Deserialize(payload, ProtocolJsonContext.Default.HelloAckMessage),
                FrameType.Error => throw Sms.Engine.BlockReplicator.PeerError(payload),
                _ => throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"Expected HelloAck, got {header.Type}."),
            };
        }
        catch (IOException ex)
        {
            throw FileReplicator.Broken(ex, "during the handshake");
        }
    }

    /// <summary>Adaptive compression stays off when the receiver is on this machine (<see cref="ReplicationConnector.IsLoopback"/>) and no rate limit makes the link the bottleneck.</summary>
    private FileReplicationSettings EffectiveSettings()
        => _settings.AdaptiveCompression && _settings.Compression != CompressionKind.None && _settings.RateLimitMbps == 0 && _settings.RateLimitWindows.Count == 0
            && ReplicationConnector.IsLoopback(_pairing)
            ? _settings with { Compression = CompressionKind.None }
            : _settings;

    private ExclusionSet Exclusions(ReplicationMode mode)
    {
        var patterns = new List<string>(mode == ReplicationMode.Full ? _settings.ExcludeFromFullCopy : _settings.ExcludeFromSync);
        if (_settings.LiveRootExclusions ?? _root.IsSystemRoot)
        {
            patterns.AddRange(FileExclusions.LiveRoot);
        }

        // The state directory inside the source would change while it is copied.
        if (_root.RelativeInside(_stateDirectory) is { } inside)
        {
            patterns.Add("/" + System.Text.Encoding.UTF8.GetString(RawPath.ToBytes(inside)));
        }

        return new ExclusionSet(patterns);
    }

    private unsafe FileEntry StatRoot()
    {
        Span<byte> path = stackalloc byte[RawPath.MaxLength + 2];
        Span<byte> buffer = stackalloc byte[StatxInfo.BufferSize];
        var prefix = _root.RawPrefix.Length == 0 ? "/" : _root.RawPrefix;
        RawPath.WriteNullTerminated(prefix, path);
        fixed (byte* p = path)
        fixed (byte* b = buffer)
        {
            if (FileNative.Statx(FileNative.AtFdCwd, p, 0, FileNative.StatxBasicStats, b) != 0)
            {
                NativeErrors.ThrowSource("stat the source directory", prefix, FileNative.Errno);
            }
        }

        var st = StatxInfo.Parse(buffer);
        if (st.Kind != FileKind.Directory)
        {
            throw new SmsException(SmsErrorCode.SourceReadFailed, $"The source '{_root.FullPath}' is not a directory.");
        }

        var root = new FileEntry(string.Empty);
        root.SetStat(st);
        root.NeedsDirectoryMetadata = true;
        return root;
    }

    private async Task SayByeAsync(FrameConnection connection, FrameSender sender, CancellationToken cancellationToken)
    {
        try
        {
            await sender.SendControlAsync(FrameType.Bye, 0, 0, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
            await connection.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The pass is complete and recorded; a lost goodbye changes nothing.
        }

        if (_acks is not null)
        {
            // The receiver closes the connection after Bye, which ends the acknowledgement loop.
            await FileReplicator.SwallowAsync(_acks.WaitAsync(TimeSpan.FromSeconds(10), _owner.TimeProvider, CancellationToken.None)).ConfigureAwait(false);
        }
    }
}
