using Microsoft.Extensions.Logging;
using Sms.Discovery;
using Sms.Diagnostics;
using Sms.Engine;
using Sms.Files;
using Sms.Migration;
using Sms.Replication;

namespace Sms.Workflow;

/// <summary>
/// One replication pass of a task over every source disk (or its file tree) into the target's receiver: full the
/// first time, incremental after, each disk's completion recorded so that a resumed pass does only the disks left
/// (and, inside a disk, the replicator's manifest resumes without resending what was acknowledged).
/// </summary>
internal sealed class PassRunner
{
    private readonly MigrationOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly MigrationMetrics _metrics;

    public PassRunner(MigrationOptions options, ILoggerFactory loggers, MigrationMetrics metrics)
    {
        _options = options;
        _loggers = loggers;
        _metrics = metrics;
    }

    public async Task<string> RunAsync(TaskRecorder recorder, ITargetReceiver receiver, bool forceVerify, CancellationToken cancellationToken)
    {
        var task = recorder.Current;
        var target = task.Target ?? throw new SmsException(SmsErrorCode.InvalidState, $"Task '{task.Id}' has no target.");
        long sent = 0, written = 0;
        var modes = new List<string>();
        var count = task.Kind == MigrationKind.Block ? task.Source.Disks.Count : 1;
        for (var disk = 0; disk < count; disk++)
        {
            if (disk < recorder.Current.Disks.Count && recorder.Current.Disks[disk].PassComplete)
            {
                continue;
            }

            DiskProgress done;
            try
            {
                done = task.Kind == MigrationKind.Block
                    ? await BlockPassAsync(recorder, receiver, disk, receiver.VolumeName(target.VolumeIds[disk]), forceVerify, cancellationToken).ConfigureAwait(false)
                    : await FilePassAsync(recorder, receiver, forceVerify, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _metrics.Ended(task.Id, disk);
            }

            sent += done.BytesSent;
            written += done.BytesWritten;
            modes.Add(done.Mode ?? "?");
            _metrics.Passes.Add(1, new KeyValuePair<string, object?>("mode", done.Mode));
            _metrics.BytesSent.Add(done.BytesSent);
            _metrics.BytesWritten.Add(done.BytesWritten);
            await recorder.CompleteDiskAsync(done, cancellationToken).ConfigureAwait(false);
        }

        var now = recorder.Time.GetUtcNow();
        await recorder.UpdateAsync(
            t =>
            {
                var reset = new List<DiskProgress>(t.Disks.Count);
                foreach (var d in t.Disks)
                {
                    reset.Add(d with { PassComplete = false });
                }

                return t with { Disks = reset, PassesCompleted = t.PassesCompleted + 1, LastPassAt = now };
            },
            cancellationToken).ConfigureAwait(false);
        return $"{count} {(task.Kind == MigrationKind.Block ? "disk" : "tree")} pass(es) ({string.Join(", ", modes)}): {sent:N0} bytes sent, {written:N0} written";
    }

    private async Task<DiskProgress> BlockPassAsync(TaskRecorder recorder, ITargetReceiver receiver, int disk, string volume, bool forceVerify, CancellationToken cancellationToken)
    {
        var task = recorder.Current;
        var settings = BlockSettings(task.Settings);
        settings = forceVerify ? settings with { Verify = true } : settings;
        var (source, inventory) = await new DiskInspector().OpenValidBlocksAsync(task.Source.Disks[disk], cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            var progress = new PassProgress(recorder, _metrics, disk, inventory.ValidBytes);
            var replicator = new BlockReplicator(_loggers.CreateLogger<BlockReplicator>(), recorder.Time);
            var state = _options.StateDirectory(task.Id, disk);
            var result = await replicator.ReplicateAsync(source, receiver.Pairing, volume, state, settings, progress, cancellationToken).ConfigureAwait(false);
            if (result.Verified == false)
            {
                // The blocks that differ (changed on the target: by the launch's fix-ups, or damaged) were forgotten
                // by the verification: one more pass sends them again and checks once more.
                var repaired = result.MismatchedOffsets.Count;
                result = await replicator.ReplicateAsync(source, receiver.Pairing, volume, state, settings, progress, cancellationToken).ConfigureAwait(false);
                if (result.Verified == false)
                {
                    throw new SmsException(SmsErrorCode.VerificationFailed, $"Disk {disk} ({task.Source.Disks[disk]}): {result.MismatchedOffsets.Count} blocks still differ on the target after a repair pass of {repaired}.");
                }

                recorder.Publish(MigrationEventKind.StepCompleted, $"disk {disk}: {repaired} block(s) that differed on the target sent again and verified");
            }

            return Completed(disk, result.Mode, result.ValidBytes, result.BytesScanned, result.BytesSent, result.BytesWritten, result.Duration, result.Verified);
        }
    }

    private async Task<DiskProgress> FilePassAsync(TaskRecorder recorder, ITargetReceiver receiver, bool forceVerify, CancellationToken cancellationToken)
    {
        var task = recorder.Current;
        var s = task.Settings;
        var (workers, buffers) = Sizing(s.Limits, FileReplicationSettings.ChunkSize, Math.Clamp(Environment.ProcessorCount * 2, 4, 16), 16);
        var settings = new FileReplicationSettings
        {
            ExcludeFromFullCopy = s.ExcludeFromFullCopy,
            ExcludeFromSync = s.ExcludeFromSync,
            Verify = s.VerifyEachPass || forceVerify ? FileVerifyMode.Full : FileVerifyMode.None,
            Compression = s.Compression,
            RateLimitMbps = s.Limits.RateLimitMbps,
            RateLimitWindows = s.Limits.RateWindows,
            Walkers = workers,
            MaxBuffers = Math.Max(buffers, 4),
        };
        var progress = new PassProgress(recorder, _metrics, 0, 0);
        var replicator = new FileReplicator(_loggers.CreateLogger<FileReplicator>(), recorder.Time);
        var state = _options.StateDirectory(task.Id, 0);
        var result = await replicator.ReplicateAsync(task.Source.RootDirectory!, receiver.Pairing, receiver.TreeName, state, settings, progress, cancellationToken).ConfigureAwait(false);
        if (result.Verified == false)
        {
            // The verification forgot the files that differ: one more pass sends them again and checks once more.
            var first = result.Verification!;
            result = await replicator.ReplicateAsync(task.Source.RootDirectory!, receiver.Pairing, receiver.TreeName, state, settings, progress, cancellationToken).ConfigureAwait(false);
            if (result.Verified == false)
            {
                var v = result.Verification!;
                throw new SmsException(SmsErrorCode.VerificationFailed, $"{v.Inconsistent.Count} inconsistent, {v.MissingAtTarget.Count} missing and {v.RedundantAtTarget.Count} redundant files on the target after a repair pass.");
            }

            recorder.Publish(MigrationEventKind.StepCompleted, $"{first.Inconsistent.Count + first.MissingAtTarget.Count + first.RedundantAtTarget.Count} file(s) that differed on the target sent again and verified");
        }

        return Completed(0, result.Mode, result.BytesScanned, result.BytesScanned, result.BytesSent, result.BytesWritten, result.Duration, result.Verified);
    }

    private static DiskProgress Completed(int disk, ReplicationMode mode, long total, long scanned, long sent, long written, TimeSpan duration, bool? verified) => new()
    {
        Index = disk,
        Mode = mode == ReplicationMode.Full ? "full" : "incremental",
        TotalBytes = total,
        BytesScanned = scanned,
        BytesSent = sent,
        BytesWritten = written,
        BytesPerSecond = duration > TimeSpan.Zero ? scanned / duration.TotalSeconds : 0,
        CompressRatio = written > 0 ? (double)sent / written : null,
        PassComplete = true,
        Verified = verified,
    };

    /// <summary>The block settings of a pass from the task's settings and the agent's limits.</summary>
    internal static ReplicationSettings BlockSettings(MigrationSettings s)
    {
        var (workers, buffers) = Sizing(s.Limits, ReplicationSettings.DefaultBlockSize, Math.Clamp(Environment.ProcessorCount, 1, 16), 8);
        return new ReplicationSettings
        {
            Compression = s.Compression,
            Verify = s.VerifyEachPass,
            RateLimitMbps = s.Limits.RateLimitMbps,
            RateLimitWindows = s.Limits.RateWindows,
            Workers = workers,
            MaxBuffers = buffers,
        };
    }

    /// <summary>
    /// The CPU limit sets how many workers hash, compress and read; the memory limit how many buffers they share
    /// (the replication's memory is bounded by buffers × block size).
    /// </summary>
    internal static (int Workers, int Buffers) Sizing(MigrationLimits limits, int bufferSize, int defaultWorkers, int defaultBuffers)
    {
        var workers = limits.CpuPercent is { } cpu ? Math.Max(1, (int)Math.Round(Environment.ProcessorCount * cpu / 100.0)) : defaultWorkers;
        var buffers = Math.Max(defaultBuffers, workers + 2);
        if (limits.MemoryMiB is { } memory)
        {
            buffers = Math.Max(3, (int)Math.Min(buffers, ((long)memory << 20) / bufferSize));
            workers = Math.Min(workers, buffers - 2);
        }

        return (workers, buffers);
    }

    /// <summary>The replicator's progress, as a disk's progress of the task.</summary>
    private sealed class PassProgress(TaskRecorder recorder, MigrationMetrics metrics, int disk, long total) : IProgress<ReplicationProgress>
    {
        public void Report(ReplicationProgress value)
        {
            var progress = new DiskProgress
            {
                Index = disk,
                TotalBytes = value.TotalBytes > 0 ? value.TotalBytes : total,
                BytesScanned = value.BytesScanned,
                BytesSent = value.BytesSent,
                BytesWritten = value.BytesWritten,
                BytesPerSecond = value.BytesPerSecond,
                Eta = value.EstimatedRemaining,
                CompressRatio = value.BytesWritten > 0 ? (double)value.BytesSent / value.BytesWritten : null,
            };
            metrics.Running(recorder.Id, progress);
            recorder.Report(progress);
        }
    }
}
