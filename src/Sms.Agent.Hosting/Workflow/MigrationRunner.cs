using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Sms.Cloud;
using Sms.Diagnostics;
using Sms.Migration;
using Sms.Workflow.Steps;

namespace Sms.Workflow;

/// <summary>
/// Drives a task's pending work until it rests (waiting, finished, paused or in error). It holds the task's lease
/// while it runs (renewed in the background), watches the store for a pause or new limits asked from anywhere (a
/// pause stops the work at once; new limits restart the current pass with them, losing at most the blocks in flight),
/// and records every step before running it, so a host killed at any point resumes where the task was.
/// </summary>
internal sealed class MigrationRunner
{
    private readonly IMigrationStore _store;
    private readonly MigrationEvents _events;
    private readonly MigrationOptions _options;
    private readonly IReadOnlyList<ICloudProvider> _providers;
    private readonly IReadOnlyList<ITargetReceiverLauncher> _launchers;
    private readonly TargetFixups _fixups;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly MigrationMetrics _metrics;
    private readonly PassRunner _passes;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _running = new(StringComparer.Ordinal);

    public MigrationRunner(
        IMigrationStore store,
        MigrationEvents events,
        MigrationOptions options,
        IReadOnlyList<ICloudProvider> providers,
        IReadOnlyList<ITargetReceiverLauncher> launchers,
        TargetFixups fixups,
        ILoggerFactory loggers,
        TimeProvider time,
        MigrationMetrics metrics)
    {
        _store = store;
        _events = events;
        _options = options;
        _providers = providers;
        _launchers = launchers;
        _fixups = fixups;
        _loggers = loggers;
        _logger = loggers.CreateLogger<MigrationService>();
        _time = time;
        _metrics = metrics;
        _passes = new PassRunner(options, loggers, metrics);
        Owner = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}");
    }

    /// <summary>A test hook run as each step starts.</summary>
    public Func<string, CancellationToken, Task>? StepGate { get; set; }

    /// <summary>This runner's lease owner name: host, process id and instance.</summary>
    public string Owner { get; }

    public static bool IsRunnable(MigrationTask task) => task.State is MigrationState.Running or MigrationState.Cloning;

    public ICloudProvider Provider(string name)
    {
        foreach (var provider in _providers)
        {
            if (string.Equals(provider.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return provider;
            }
        }

        throw new SmsException(SmsErrorCode.InvalidState, $"No cloud provider '{name}' is registered (add it with AddLocalCloud or AddHuaweiCloud).");
    }

    public StepContext Steps(ICloudProvider cloud)
    {
        ITargetReceiverLauncher? launcher = null;
        foreach (var candidate in _launchers)
        {
            if (candidate.Supports(cloud))
            {
                launcher = candidate;
                break;
            }
        }

        launcher ??= new UnsupportedLauncher(cloud.Name);
        return new StepContext(new CloudCalls(cloud, _time), launcher, _passes, _fixups, _logger, _metrics) { Gate = StepGate };
    }

    public async Task<MigrationTask> RunAsync(string taskId, CancellationToken cancellationToken)
    {
        var task = await _store.GetAsync(taskId, cancellationToken).ConfigureAwait(false)
            ?? throw new SmsException(SmsErrorCode.ResourceNotFound, $"There is no migration task '{taskId}'.");
        if (!IsRunnable(task))
        {
            return task;
        }

        if (!_running.TryAdd(taskId, 0))
        {
            throw new SmsException(SmsErrorCode.TaskBusy, $"Task '{taskId}' is already running in this process.") { IsTransient = true };
        }

        try
        {
            await TakeLeaseAsync(taskId, cancellationToken).ConfigureAwait(false);
            return await RunLeasedAsync(task, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _running.TryRemove(taskId, out _);
        }
    }

    private async Task<MigrationTask> RunLeasedAsync(MigrationTask task, CancellationToken cancellationToken)
    {
        var taskId = task.Id;
        var recorder = new TaskRecorder(_store, _events, _time, task);
        using var leaseStop = new CancellationTokenSource();
        try
        {
            while (IsRunnable(recorder.Current))
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var limits = recorder.Current.Settings.Limits;
                var control = ControlAsync(recorder, attempt, limits, leaseStop.Token);
                try
                {
                    await ExecuteAsync(recorder, attempt.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    var now = await _store.GetAsync(taskId, CancellationToken.None).ConfigureAwait(false) ?? recorder.Current;
                    if (now.PauseRequested)
                    {
                        await recorder.UpdateAsync(t => t with { State = MigrationState.Paused, PauseRequested = false }, CancellationToken.None).ConfigureAwait(false);
                        Log.TaskPaused(_logger, taskId, now.Step ?? "-");
                        await recorder.AuditAsync("task-stop", "normal", $"paused during {now.Step ?? "-"}", CancellationToken.None).ConfigureAwait(false);
                        break;
                    }

                    if (SameLimits(now.Settings.Limits, limits))
                    {
                        throw;
                    }

                    // New limits: the step starts again with them (a pass resumes from its manifest).
                }
                finally
                {
                    await attempt.CancelAsync().ConfigureAwait(false);
                    await SwallowAsync(control).ConfigureAwait(false);
                    await SwallowAsync(recorder.FlushProgressAsync(CancellationToken.None)).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is stopping: the task stays running and is picked up where it was.
            Log.TaskInterrupted(_logger, taskId, recorder.Current.Step ?? "-");
            throw;
        }
        catch (Exception ex) when (ex is SmsException or IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            await FailAsync(recorder, ex).ConfigureAwait(false);
        }
        finally
        {
            await SwallowAsync(_store.ReleaseLeaseAsync(taskId, Owner, CancellationToken.None)).ConfigureAwait(false);
        }

        return recorder.Current;
    }

    private async Task ExecuteAsync(TaskRecorder recorder, CancellationToken cancellationToken)
    {
        var task = recorder.Current;
        var steps = Steps(Provider(task.Target!.Provider));
        switch (task.Stage, task.Pending)
        {
            case (MigrationStage.Replicating, _):
                await steps.StepAsync(recorder, "lock-target", async ct => { await steps.LockAsync(recorder, true, ct).ConfigureAwait(false); return "target locked"; }, cancellationToken).ConfigureAwait(false);
                await steps.StepAsync(recorder, "full-replication", ct => steps.PassesAsync(recorder, forceVerify: false, ct), cancellationToken).ConfigureAwait(false);
                var continuous = recorder.Current.Settings.ContinuousSync;
                await recorder.UpdateAsync(
                    t => continuous
                        ? Resting(t, MigrationStage.Syncing, MigrationState.Waiting)
                        : t with { Stage = MigrationStage.Cutovering, State = MigrationState.Running, Pending = MigrationCommand.Launch, Launches = t.Launches + 1, Step = null },
                    cancellationToken).ConfigureAwait(false);
                break;
            case (MigrationStage.Syncing, MigrationCommand.Sync or MigrationCommand.Verify):
                await steps.StepAsync(recorder, task.Pending == MigrationCommand.Verify ? "verify" : "sync", ct => steps.PassesAsync(recorder, forceVerify: task.Pending == MigrationCommand.Verify, ct), cancellationToken).ConfigureAwait(false);
                await recorder.UpdateAsync(t => Resting(t, MigrationStage.Syncing, MigrationState.Waiting), cancellationToken).ConfigureAwait(false);
                break;
            case (MigrationStage.Syncing, MigrationCommand.Clone):
                await new CloneStep(steps).RunAsync(recorder, cancellationToken).ConfigureAwait(false);
                await recorder.UpdateAsync(t => Resting(t, MigrationStage.Syncing, MigrationState.Waiting, keepSchedule: true), cancellationToken).ConfigureAwait(false);
                break;
            case (MigrationStage.Cutovering, _):
                await new LaunchStep(steps).RunAsync(recorder, cancellationToken).ConfigureAwait(false);
                await recorder.UpdateAsync(t => Resting(t, MigrationStage.Cutovered, MigrationState.Finished), cancellationToken).ConfigureAwait(false);
                await steps.Janitor.DeleteAsync(recorder, static r => r.Purpose == ResourcePurpose.Temporary, cancellationToken).ConfigureAwait(false);
                break;
            case (MigrationStage.Cutovered, MigrationCommand.Sync or MigrationCommand.Verify):
                // The seeds lock the target during a sync after launch and unlock it after.
                await steps.StepAsync(recorder, "lock-target", async ct => { await steps.LockAsync(recorder, true, ct).ConfigureAwait(false); return "target locked"; }, cancellationToken).ConfigureAwait(false);
                await steps.StepAsync(recorder, task.Pending == MigrationCommand.Verify ? "verify" : "sync", ct => steps.PassesAsync(recorder, forceVerify: task.Pending == MigrationCommand.Verify, ct), cancellationToken).ConfigureAwait(false);

                // The pass brought back the source's files where the launch had adapted them (a verified pass sends
                // them again): adapt them once more.
                await steps.StepAsync(recorder, "fix-ups", ct => steps.FixupsAsync(recorder, ct), cancellationToken).ConfigureAwait(false);
                await steps.StepAsync(recorder, "unlock-target", async ct => { await steps.LockAsync(recorder, false, ct).ConfigureAwait(false); return "target unlocked"; }, cancellationToken).ConfigureAwait(false);
                await recorder.UpdateAsync(t => Resting(t, MigrationStage.Cutovered, MigrationState.Finished), cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new SmsException(SmsErrorCode.InvalidState, $"Task '{task.Id}' is {MigrationTransitions.Describe(task)} with {task.Pending?.ToString() ?? "nothing"} pending: there is no work for that.");
        }
    }

    private MigrationTask Resting(MigrationTask t, MigrationStage stage, MigrationState state, bool keepSchedule = false)
    {
        var next = stage == MigrationStage.Syncing && t.Settings.SyncInterval is { } interval ? _time.GetUtcNow() + interval : (DateTimeOffset?)null;
        return t with { Stage = stage, State = state, Pending = null, Step = null, Error = null, NextSyncAt = keepSchedule ? t.NextSyncAt ?? next : next };
    }

    private async Task FailAsync(TaskRecorder recorder, Exception ex)
    {
        var code = ex is SmsException sms ? sms.ErrorCode : ex is IOException ? SmsErrorCode.TargetWriteFailed : SmsErrorCode.InvalidState;
        var transient = ex is SmsException { IsTransient: true } or IOException;
        var step = recorder.Current.Step ?? recorder.Current.Stage.ToString().ToLowerInvariant();
        var message = ex.Message.ReplaceLineEndings(" ");
        var error = new MigrationError(code.Value, message, _time.GetUtcNow(), transient);
        await recorder.UpdateAsync(t => t with { State = MigrationState.Error, Error = error, PauseRequested = false }, CancellationToken.None, $"{step} failed: {code}: {message}").ConfigureAwait(false);
        Log.TaskFailed(_logger, recorder.Id, step, code.Value, message);
        _metrics.Failures.Add(1, new KeyValuePair<string, object?>("step", step));
        await recorder.AuditAsync(step, "incident", $"{code}: {message}", CancellationToken.None).ConfigureAwait(false);
        recorder.Publish(MigrationEventKind.Failed, $"{step} failed: {code}: {message}");
    }

    /// <summary>Renews the lease, writes progress, and stops the attempt when a pause or new limits are asked for.</summary>
    private async Task ControlAsync(TaskRecorder recorder, CancellationTokenSource attempt, MigrationLimits limits, CancellationToken stop)
    {
        var token = attempt.Token;
        var renewEvery = _options.LeaseDuration / 3;
        var lastRenew = _time.GetTimestamp();
        var lastProgress = lastRenew;
        while (!token.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.ControlPollInterval, _time, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                if (_time.GetElapsedTime(lastRenew) >= renewEvery)
                {
                    lastRenew = _time.GetTimestamp();
                    if (!await _store.TryLeaseAsync(recorder.Id, Owner, _time.GetUtcNow() + _options.LeaseDuration, token).ConfigureAwait(false))
                    {
                        // Another host took the task over (this one stalled past its lease): stop at once.
                        await attempt.CancelAsync().ConfigureAwait(false);
                        return;
                    }
                }

                if (_time.GetElapsedTime(lastProgress) >= _options.ProgressInterval)
                {
                    lastProgress = _time.GetTimestamp();
                    await recorder.FlushProgressAsync(token).ConfigureAwait(false);
                }

                var now = await _store.GetAsync(recorder.Id, token).ConfigureAwait(false);
                if (now is null || now.PauseRequested || !SameLimits(now.Settings.Limits, limits))
                {
                    await attempt.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SmsException)
            {
                // A store hiccup: the next round tries again.
            }
        }
    }

    private async Task TakeLeaseAsync(string taskId, CancellationToken cancellationToken)
    {
        if (await _store.TryLeaseAsync(taskId, Owner, _time.GetUtcNow() + _options.LeaseDuration, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        // A lease of a process of this machine that is gone (killed) need not be waited out.
        if (await _store.GetLeaseAsync(taskId, cancellationToken).ConfigureAwait(false) is { } held && IsDeadLocalProcess(held.Owner))
        {
            await _store.ReleaseLeaseAsync(taskId, held.Owner, cancellationToken).ConfigureAwait(false);
            if (await _store.TryLeaseAsync(taskId, Owner, _time.GetUtcNow() + _options.LeaseDuration, cancellationToken).ConfigureAwait(false))
            {
                Log.TaskTakenOver(_logger, taskId, held.Owner);
                return;
            }
        }

        var lease = await _store.GetLeaseAsync(taskId, cancellationToken).ConfigureAwait(false);
        throw new SmsException(SmsErrorCode.TaskBusy, $"Task '{taskId}' is being run by {lease?.Owner ?? "another process"} (until {lease?.Until:u} unless renewed).") { IsTransient = true };
    }

    /// <summary>Limits compared by value (records compare their lists by reference, and every read makes new lists).</summary>
    internal static bool SameLimits(MigrationLimits a, MigrationLimits b)
        => a.RateLimitMbps.Equals(b.RateLimitMbps) && a.CpuPercent == b.CpuPercent && a.MemoryMiB == b.MemoryMiB && a.RateWindows.SequenceEqual(b.RateWindows);

    internal static bool IsDeadLocalProcess(string owner)
    {
        var parts = owner.Split('/');
        if (parts.Length != 3 || !string.Equals(parts[0], Environment.MachineName, StringComparison.Ordinal) || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        if (pid == Environment.ProcessId)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true; // no such process
        }
    }

    private static async Task SwallowAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SmsException or IOException)
        {
        }
    }

    /// <summary>A provider no launcher serves: every pass fails, saying so.</summary>
    private sealed class UnsupportedLauncher(string provider) : ITargetReceiverLauncher
    {
        public bool Supports(ICloudProvider cloud) => false;

        public Task<ITargetReceiver> StartAsync(ICloudProvider cloud, CloudServer server, CancellationToken cancellationToken = default)
            => throw new SmsException(SmsErrorCode.InvalidState, $"No target receiver launcher serves the '{provider}' cloud: register one (ITargetReceiverLauncher) that boots its targets into the migration helper.");

        public string? LocalTreeDirectory(ICloudProvider cloud, CloudServer server) => null;
    }
}
