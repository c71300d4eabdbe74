using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sms.Cloud;
using Sms.Diagnostics;
using Sms.Discovery;
using Sms.Discovery.Checks;
using Sms.Discovery.Host;
using Sms.Migration;
using Sms.Workflow.Steps;
using Sms.Workflow.Targets;

namespace Sms.Workflow;

/// <summary>
/// The migration workflow: tasks per source server, with a lifecycle stage and a replication state, commands allowed
/// as the seeds allow them (<see cref="MigrationTransitions"/>), work run by <see cref="RunAsync"/> (or the hosted
/// worker) until the task rests, and everything persisted in an <see cref="IMigrationStore"/> so a restarted host picks
/// every task up where it was. Commands only record what is asked and return at once; a command from another process
/// (the <c>sms</c> console, say) reaches a running task through the store.
/// </summary>
public sealed class MigrationService : IDisposable
{
    private readonly IMigrationStore _store;
    private readonly MigrationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MigrationEvents _events = new();
    private readonly MigrationMetrics _metrics;
    private readonly MigrationRunner _runner;
    private readonly Func<CancellationToken, Task<HostInventory>> _readHost;

    /// <summary>Creates the workflow.</summary>
    /// <param name="store">Where tasks persist.</param>
    /// <param name="options">The data directory and the intervals; validated here.</param>
    /// <param name="providers">The clouds targets can be in, by <see cref="ICloudProvider.Name"/>.</param>
    /// <param name="launchers">What brings a receiver up on a target; the local cloud's is added when none serves it.</param>
    /// <param name="loggers">Loggers, or <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock, or <see langword="null"/> for the system's.</param>
    /// <param name="fixups">The launch's OS fix-ups; the SDK's steps (fstab by UUID, DHCP, source-cloud agents) when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The options are not usable.</exception>
    public MigrationService(
        IMigrationStore store,
        MigrationOptions options,
        IEnumerable<ICloudProvider> providers,
        IEnumerable<ITargetReceiverLauncher>? launchers = null,
        ILoggerFactory? loggers = null,
        TimeProvider? timeProvider = null,
        Sms.Fixups.TargetFixupRunner? fixups = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(providers);
        options.Validate();
        _store = store;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        loggers ??= NullLoggerFactory.Instance;
        _logger = loggers.CreateLogger<MigrationService>();
        _metrics = new MigrationMetrics();
        var allLaunchers = new List<ITargetReceiverLauncher>(launchers ?? []) { new LocalTargetReceiverLauncher(loggers, _time) };
        _runner = new MigrationRunner(store, _events, options, [.. providers], allLaunchers, new TargetFixups(fixups ?? TargetFixups.DefaultRunner()), loggers, _time, _metrics);
        var host = new HostInventoryReader();
        _readHost = host.ReadAsync;
    }

    /// <summary>A test hook run as each step of a run starts (after it is recorded), with the step's name.</summary>
    internal Func<string, CancellationToken, Task>? StepGate
    {
        get => _runner.StepGate;
        set => _runner.StepGate = value;
    }

    /// <summary>The store the tasks are in.</summary>
    /// <value>The store.</value>
    public IMigrationStore Store => _store;

    /// <summary>Creates a task for this host (the agent runs on the source): inventories the source and runs the feasibility checks.</summary>
    /// <param name="spec">What to migrate and how.</param>
    /// <param name="cancellationToken">Cancels the inventory.</param>
    /// <returns>The task, checking and ready; its findings say what would stop a target from being configured.</returns>
    /// <exception cref="ArgumentException">The spec names no disk (block) or no directory (file), or its settings are out of range.</exception>
    /// <exception cref="SmsException">A source cannot be read (<see cref="SmsErrorCode.SourceReadFailed"/>), or a named template does not exist.</exception>
    public async Task<MigrationTask> CreateTaskAsync(MigrationTaskSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Kind == MigrationKind.Block && spec.Disks.Count == 0)
        {
            throw new ArgumentException("A block-level task needs at least one source disk.", nameof(spec));
        }

        if (spec.Kind == MigrationKind.File && (string.IsNullOrEmpty(spec.RootDirectory) || !Directory.Exists(spec.RootDirectory)))
        {
            throw new ArgumentException($"A file-level task needs an existing source directory ('{spec.RootDirectory}').", nameof(spec));
        }

        var settings = await SettingsAsync(spec, cancellationToken).ConfigureAwait(false);
        settings.Validate();
        var findings = new List<CheckFinding>();
        SourceServer server;
        if (spec.Server is { } given)
        {
            server = given;
        }
        else
        {
            var host = await _readHost(cancellationToken).ConfigureAwait(false);
            findings.AddRange(FeasibilityChecks.CheckHost(host, Directory.Exists("/tmp")));
            server = FromHost(host);
        }

        var sizes = new List<long>();
        var disks = new List<string>();
        foreach (var disk in spec.Disks)
        {
            var inventory = await new SourceInventoryReader().ReadDiskAsync(disk, cancellationToken).ConfigureAwait(false);
            sizes.Add(inventory.Disks[0].SizeBytes);
            findings.AddRange(inventory.Findings);
            disks.Add(Path.GetFullPath(disk));
        }

        var now = _time.GetUtcNow();
        var task = new MigrationTask
        {
            Id = Guid.NewGuid().ToString("N")[..10],
            Name = spec.Name ?? server.Name,
            Kind = spec.Kind,
            Source = new MigrationSource { Disks = disks, RootDirectory = spec.RootDirectory is null ? null : Path.GetFullPath(spec.RootDirectory), Server = server with { DiskSizes = spec.Kind == MigrationKind.Block ? sizes : [] } },
            Settings = settings,
            Stage = MigrationStage.Checking,
            State = MigrationState.Ready,
            Findings = findings,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var stored = await _store.AddAsync(task, cancellationToken).ConfigureAwait(false);
        await AuditAsync(stored.Id, "addTask", findings.Exists(static f => f.Severity == CheckSeverity.Error) ? "warning" : "normal", $"{spec.Kind} task '{stored.Name}' for {(spec.Kind == MigrationKind.Block ? string.Join(", ", disks) : task.Source.RootDirectory)}; {findings.Count} finding(s)", cancellationToken).ConfigureAwait(false);
        return stored;
    }

    /// <summary>Configures the target: an existing server (checked) or a new one fitting the source, in a reused or new network.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="spec">The target.</param>
    /// <param name="cancellationToken">Cancels the configuration; what it created is recorded and cleaned up with the task.</param>
    /// <returns>The task, with its target configured.</returns>
    /// <exception cref="SmsException">
    /// The command is not allowed now (<see cref="SmsErrorCode.InvalidTransition"/>), a source check failed (its code), the
    /// existing server does not fit (<see cref="SmsErrorCode.TargetDiskTooSmall"/>, <see cref="SmsErrorCode.FirmwareMismatch"/>), or the cloud refused.
    /// </exception>
    public async Task<MigrationTask> ConfigureTargetAsync(string taskId, TargetSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var task = await RequireAsync(taskId, cancellationToken).ConfigureAwait(false);
        MigrationTransitions.Ensure(task, MigrationCommand.ConfigureTarget);
        foreach (var finding in task.Findings)
        {
            if (finding.Severity == CheckSeverity.Error)
            {
                throw new SmsException(finding.Code, $"The source check failed: {finding.Message} Fix: {finding.Fix}");
            }
        }

        spec = await WithServerTemplateAsync(spec, cancellationToken).ConfigureAwait(false);
        var cloud = _runner.Provider(spec.Provider);
        var recorder = new TaskRecorder(_store, _events, _time, task);
        var (target, findings) = await new TargetConfigurator(cloud, _time, recorder.TrackAsync).ConfigureAsync(task, spec, cancellationToken).ConfigureAwait(false);
        var configured = await recorder.UpdateAsync(
            t =>
            {
                MigrationTransitions.Ensure(t, MigrationCommand.ConfigureTarget);
                return t with { Stage = MigrationStage.Setting, State = MigrationState.Ready, Target = target, Findings = [.. t.Findings, .. findings] };
            },
            cancellationToken).ConfigureAwait(false);
        await CommandedAsync(configured, MigrationCommand.ConfigureTarget, "configureTarget", $"target server {target.ServerId} in {target.Provider} ({(target.CreatedByTask ? "created" : "existing")}), {target.VolumeIds.Count} volume(s)", cancellationToken).ConfigureAwait(false);
        return configured;
    }

    /// <summary>Starts the full replication, or resumes a paused or failed task where it was. The work runs in <see cref="RunAsync"/>.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task, running.</returns>
    /// <exception cref="SmsException">Not allowed now (<see cref="SmsErrorCode.InvalidTransition"/>).</exception>
    public Task<MigrationTask> StartAsync(string taskId, CancellationToken cancellationToken = default)
        => CommandAsync(taskId, MigrationCommand.Start, "task-start", static t => t.Stage == MigrationStage.Setting && t.State == MigrationState.Ready
            ? t with { Stage = MigrationStage.Replicating, State = MigrationState.Running, Pending = MigrationCommand.Start }
            : t with
            {
                State = t.Pending switch
                {
                    MigrationCommand.Clone => MigrationState.Cloning,
                    null when t.Stage == MigrationStage.Syncing => MigrationState.Waiting,
                    null when t.Stage == MigrationStage.Cutovered => MigrationState.Finished,
                    _ => MigrationState.Running,
                },
                Error = null,
                PauseRequested = false,
            }, cancellationToken);

    /// <summary>Pauses the task: running work stops at once (wherever it runs); waiting continuous sync stops syncing.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task, paused or (while its runner stops) with the pause asked for.</returns>
    /// <exception cref="SmsException">Not allowed now (<see cref="SmsErrorCode.InvalidTransition"/>).</exception>
    public async Task<MigrationTask> PauseAsync(string taskId, CancellationToken cancellationToken = default)
    {
        var lease = await _store.GetLeaseAsync(taskId, cancellationToken).ConfigureAwait(false);
        var runnerAlive = lease is { } l && l.Until > _time.GetUtcNow() && !MigrationRunner.IsDeadLocalProcess(l.Owner);
        return await CommandAsync(
            taskId,
            MigrationCommand.Pause,
            "task-stop",
            t => MigrationRunner.IsRunnable(t) && runnerAlive ? t with { PauseRequested = true } : t with { State = MigrationState.Paused, PauseRequested = false },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks for an incremental sync now (continuous sync while waiting, or after launch once finished).</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task, running.</returns>
    /// <exception cref="SmsException">Not allowed now (<see cref="SmsErrorCode.InvalidTransition"/>).</exception>
    public Task<MigrationTask> SyncAsync(string taskId, CancellationToken cancellationToken = default)
        => CommandAsync(taskId, MigrationCommand.Sync, "task-sync", static t => t with { State = MigrationState.Running, Pending = MigrationCommand.Sync }, cancellationToken);

    /// <summary>Asks for a pass that verifies every block (or file) end to end on both sides (syncing what changed first).</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task, running; after the run each disk's <see cref="DiskProgress.Verified"/> says the outcome.</returns>
    /// <exception cref="SmsException">Not allowed now (<see cref="SmsErrorCode.InvalidTransition"/>).</exception>
    public Task<MigrationTask> VerifyAsync(string taskId, CancellationToken cancellationToken = default)
        => CommandAsync(taskId, MigrationCommand.Verify, "task-verify", static t => t with { State = MigrationState.Running, Pending = MigrationCommand.Verify }, cancellationToken);

    /// <summary>Asks for the launch: final sync, cutover snapshots, OS fix-ups, unlock, start.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task, cutovering.</returns>
    /// <exception cref="SmsException">Not allowed now (<see cref="SmsErrorCode.InvalidTransition"/>).</exception>
    public Task<MigrationTask> LaunchAsync(string taskId, CancellationToken cancellationToken = default)
        => CommandAsync(taskId, MigrationCommand.Launch, "task-launch", static t => t with { Stage = MigrationStage.Cutovering, State = MigrationState.Running, Pending = MigrationCommand.Launch, Launches = t.Launches + 1 }, cancellationToken);

    /// <summary>Asks for a clone: a test server from snapshots of the synced disks, in the target's zone; the sync goes on after it.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task, cloning.</returns>
    /// <exception cref="SmsException">Not allowed now (<see cref="SmsErrorCode.InvalidTransition"/>).</exception>
    public Task<MigrationTask> CloneAsync(string taskId, CancellationToken cancellationToken = default)
        => CommandAsync(taskId, MigrationCommand.Clone, "task-clone", static t => t with { State = MigrationState.Cloning, Pending = MigrationCommand.Clone, ClonesStarted = t.ClonesStarted + 1 }, cancellationToken);

    /// <summary>Sets the rate limit (with daily windows) and the agent's CPU and memory limits; a running pass restarts with them at once.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="limits">The limits.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range.</exception>
    public Task<MigrationTask> SetLimitsAsync(string taskId, MigrationLimits limits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return CommandAsync(
            taskId,
            MigrationCommand.SetLimits,
            "task-set-limits",
            t =>
            {
                var settings = t.Settings with { Limits = limits };
                settings.Validate();
                return t with { Settings = settings };
            },
            cancellationToken);
    }

    /// <summary>Runs the task's pending work until it rests (waiting, finished, paused or in error), and returns it then.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="cancellationToken">Stops the work, leaving the task running: it resumes where it was on the next run.</param>
    /// <returns>The task at rest; a failure is in its <see cref="MigrationTask.Error"/>, not thrown.</returns>
    /// <exception cref="SmsException">Another live process runs the task (<see cref="SmsErrorCode.TaskBusy"/>).</exception>
    public Task<MigrationTask> RunAsync(string taskId, CancellationToken cancellationToken = default) => _runner.RunAsync(taskId, cancellationToken);

    /// <summary>Deletes the task's temporary resources a failure left behind.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="cancellationToken">Cancels the cleanup (what was deleted stays forgotten).</param>
    /// <returns>The task.</returns>
    /// <exception cref="SmsException">Not allowed while it runs (<see cref="SmsErrorCode.InvalidTransition"/>).</exception>
    public async Task<MigrationTask> CleanupAsync(string taskId, CancellationToken cancellationToken = default)
    {
        var (task, deleted) = await DeleteResourcesAsync(taskId, MigrationCommand.Cleanup, static r => r.Purpose == ResourcePurpose.Temporary, cancellationToken).ConfigureAwait(false);
        await CommandedAsync(task, MigrationCommand.Cleanup, "cleanup", $"{deleted} temporary resource(s) deleted", cancellationToken).ConfigureAwait(false);
        return task;
    }

    /// <summary>
    /// Deletes the target configuration: the task goes back to checking, and a new target means a new full replication.
    /// With <paramref name="deleteCreatedResources"/>, the server, disks, snapshots and network the task created are deleted too.
    /// </summary>
    /// <param name="taskId">The task.</param>
    /// <param name="deleteCreatedResources">Delete what the task created for the target (never a server it was given).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task, checking.</returns>
    /// <exception cref="SmsException">Not allowed now (<see cref="SmsErrorCode.InvalidTransition"/>).</exception>
    public async Task<MigrationTask> DeleteTargetAsync(string taskId, bool deleteCreatedResources, CancellationToken cancellationToken = default)
    {
        var (task, deleted) = await DeleteResourcesAsync(
            taskId, MigrationCommand.DeleteTarget, r => r.Purpose == ResourcePurpose.Temporary || (deleteCreatedResources && r.Purpose is ResourcePurpose.Target or ResourcePurpose.CutoverSnapshot), cancellationToken).ConfigureAwait(false);
        DeleteState(taskId);
        var recorder = new TaskRecorder(_store, _events, _time, task);
        var reset = await recorder.UpdateAsync(
            t => t with { Stage = MigrationStage.Checking, State = MigrationState.Ready, Target = null, TargetGeneration = t.TargetGeneration + 1, Disks = [], PassesCompleted = 0, Pending = null, Step = null, Error = null, NextSyncAt = null, LastPassAt = null },
            cancellationToken).ConfigureAwait(false);
        await CommandedAsync(reset, MigrationCommand.DeleteTarget, "deleteTargetConfig", $"target configuration deleted; {deleted} resource(s) deleted", cancellationToken).ConfigureAwait(false);
        return reset;
    }

    /// <summary>Deletes the task: its temporary resources always; with <paramref name="deleteCreatedResources"/> everything it created (target, clones, snapshots, network).</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="deleteCreatedResources">Delete every resource the task created (never a server it was given).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What was deleted in the cloud.</returns>
    /// <exception cref="SmsException">Not allowed while it runs (<see cref="SmsErrorCode.InvalidTransition"/>).</exception>
    public async Task<int> DeleteAsync(string taskId, bool deleteCreatedResources, CancellationToken cancellationToken = default)
    {
        var (_, deleted) = await DeleteResourcesAsync(taskId, MigrationCommand.Delete, r => deleteCreatedResources || r.Purpose == ResourcePurpose.Temporary, cancellationToken).ConfigureAwait(false);
        DeleteState(taskId);
        await _store.RemoveAsync(taskId, cancellationToken).ConfigureAwait(false);
        await AuditAsync(taskId, "deleteTask", "normal", $"task deleted; {deleted} resource(s) deleted", cancellationToken).ConfigureAwait(false);
        _metrics.Commands.Add(1, new KeyValuePair<string, object?>("command", nameof(MigrationCommand.Delete)));
        return deleted;
    }

    /// <summary>Reads a task.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task.</returns>
    /// <exception cref="SmsException">No such task (<see cref="SmsErrorCode.ResourceNotFound"/>).</exception>
    public Task<MigrationTask> GetAsync(string taskId, CancellationToken cancellationToken = default) => RequireAsync(taskId, cancellationToken);

    /// <summary>Lists the tasks.</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The tasks, oldest first.</returns>
    public IAsyncEnumerable<MigrationTask> ListAsync(CancellationToken cancellationToken = default) => _store.ListAsync(cancellationToken);

    /// <summary>Streams a task's events: changes, progress (about four a second while a pass runs here), steps and failures; changes made by other processes arrive within a second.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The events.</returns>
    public async IAsyncEnumerable<MigrationEvent> WatchAsync(string taskId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = _events.Subscribe(taskId);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var poller = PollAsync(taskId, channel.Writer, stop.Token);
        try
        {
            await foreach (var e in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return e;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            _events.Unsubscribe(channel);
            try
            {
                await poller.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>For a host's background worker: runs the tasks a dead host left running, the syncs that are due, and the transient failures worth retrying.</summary>
    /// <param name="retryTransientAfter">How long after a transient failure a task is started again.</param>
    /// <param name="cancellationToken">Stops the work (tasks stay resumable).</param>
    /// <returns>The ids of the tasks that need running now.</returns>
    public async Task<IReadOnlyList<string>> FindDueAsync(TimeSpan retryTransientAfter, CancellationToken cancellationToken = default)
    {
        var due = new List<string>();
        var now = _time.GetUtcNow();
        await foreach (var task in _store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (MigrationRunner.IsRunnable(task))
            {
                var lease = await _store.GetLeaseAsync(task.Id, cancellationToken).ConfigureAwait(false);
                if (lease is null || lease.Value.Until < now || MigrationRunner.IsDeadLocalProcess(lease.Value.Owner))
                {
                    due.Add(task.Id);
                }
            }
            else if (task.Stage == MigrationStage.Syncing && task.State == MigrationState.Waiting && task.NextSyncAt is { } next && next <= now)
            {
                await SyncAsync(task.Id, cancellationToken).ConfigureAwait(false);
                due.Add(task.Id);
            }
            else if (task.State == MigrationState.Error && task.Error is { Transient: true } error && error.At + retryTransientAfter <= now)
            {
                await StartAsync(task.Id, cancellationToken).ConfigureAwait(false);
                due.Add(task.Id);
            }
        }

        return due;
    }

    /// <summary>Disposes the workflow's meter.</summary>
    public void Dispose() => _metrics.Dispose();

    internal static SourceServer FromHost(HostInventory host)
    {
        string? address = null;
        foreach (var nic in host.NetworkInterfaces)
        {
            foreach (var candidate in nic.Addresses)
            {
                if (address is null && System.Net.IPAddress.TryParse(candidate.Split('/')[0], out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                {
                    address = ip.ToString();
                }
            }
        }

        return new SourceServer
        {
            Name = host.HostName,
            OperatingSystem = host.OperatingSystem,
            Architecture = host.Architecture,
            Firmware = host.Firmware,
            CpuCount = host.CpuCount,
            MemoryMiB = (int)Math.Max(1, host.MemoryBytes >> 20),
            IpAddress = address,
        };
    }

    private async Task PollAsync(string taskId, System.Threading.Channels.ChannelWriter<MigrationEvent> writer, CancellationToken cancellationToken)
    {
        long version = -1;
        while (!cancellationToken.IsCancellationRequested)
        {
            var task = await _store.GetAsync(taskId, cancellationToken).ConfigureAwait(false);
            if (task is null)
            {
                writer.TryComplete();
                return;
            }

            if (task.Version != version)
            {
                version = task.Version;
                writer.TryWrite(new MigrationEvent(MigrationEventKind.Changed, task, $"{MigrationTransitions.Describe(task)}{(task.Step is null ? string.Empty : " · " + task.Step)}"));
            }

            await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<MigrationTask> CommandAsync(string taskId, MigrationCommand command, string eventName, Func<MigrationTask, MigrationTask> change, CancellationToken cancellationToken)
    {
        var task = await TaskUpdates.MutateAsync(
            _store,
            taskId,
            t =>
            {
                MigrationTransitions.Ensure(t, command);
                return change(t);
            },
            _time,
            cancellationToken).ConfigureAwait(false);
        _events.Publish(new MigrationEvent(MigrationEventKind.Changed, task, $"{command}: now {MigrationTransitions.Describe(task)}"));
        await CommandedAsync(task, command, eventName, $"{command} accepted: now {MigrationTransitions.Describe(task)}", cancellationToken).ConfigureAwait(false);
        return task;
    }

    private async Task CommandedAsync(MigrationTask task, MigrationCommand command, string eventName, string detail, CancellationToken cancellationToken)
    {
        Log.TaskCommand(_logger, task.Id, command, task.Stage, task.State);
        _metrics.Commands.Add(1, new KeyValuePair<string, object?>("command", command.ToString()));
        await AuditAsync(task.Id, eventName, "normal", detail, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(MigrationTask Task, int Deleted)> DeleteResourcesAsync(string taskId, MigrationCommand command, Func<TrackedResource, bool> which, CancellationToken cancellationToken)
    {
        var task = await RequireAsync(taskId, cancellationToken).ConfigureAwait(false);
        MigrationTransitions.Ensure(task, command);
        var lease = await _store.GetLeaseAsync(taskId, cancellationToken).ConfigureAwait(false);
        if (lease is { } held && held.Until > _time.GetUtcNow() && !MigrationRunner.IsDeadLocalProcess(held.Owner))
        {
            throw new SmsException(SmsErrorCode.TaskBusy, $"Task '{taskId}' is being run by {held.Owner}: pause it first.");
        }

        var recorder = new TaskRecorder(_store, _events, _time, task);
        var providers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var resource in task.Resources)
        {
            providers.Add(resource.Provider);
        }

        var deleted = 0;
        foreach (var name in providers)
        {
            var steps = _runner.Steps(_runner.Provider(name));
            deleted += await steps.Janitor.DeleteAsync(recorder, r => string.Equals(r.Provider, name, StringComparison.OrdinalIgnoreCase) && which(r), cancellationToken).ConfigureAwait(false);
        }

        // A target that stays (given to the task, or kept) is left unlocked; a deleted one is simply not found.
        if (command != MigrationCommand.Cleanup && recorder.Current.Target is { } target)
        {
            var cloud = _runner.Provider(target.Provider);
            await CloudCalls.DeletedAsync(() => cloud.Compute.SetLockedAsync(target.ServerId, false, cancellationToken)).ConfigureAwait(false);
        }

        return (recorder.Current, deleted);
    }

    private void DeleteState(string taskId)
    {
        var state = Path.Combine(_options.DataDirectory, "state", taskId);
        if (Directory.Exists(state))
        {
            Directory.Delete(state, recursive: true);
        }
    }

    private async Task<MigrationSettings> SettingsAsync(MigrationTaskSpec spec, CancellationToken cancellationToken)
    {
        if (spec.Settings is { } given)
        {
            return given;
        }

        var templates = await _store.ListMigrationTemplatesAsync(cancellationToken).ConfigureAwait(false);
        foreach (var template in templates)
        {
            if (spec.MigrationTemplate is null ? template.IsDefault : string.Equals(template.Name, spec.MigrationTemplate, StringComparison.Ordinal))
            {
                return template.Settings;
            }
        }

        return spec.MigrationTemplate is null ? new MigrationSettings() : throw new SmsException(SmsErrorCode.ResourceNotFound, $"There is no migration template '{spec.MigrationTemplate}'.");
    }

    private async Task<TargetSpec> WithServerTemplateAsync(TargetSpec spec, CancellationToken cancellationToken)
    {
        if (spec.ServerTemplate is null)
        {
            return spec;
        }

        foreach (var t in await _store.ListServerTemplatesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(t.Name, spec.ServerTemplate, StringComparison.Ordinal))
            {
                return spec with
                {
                    Provider = t.Provider,
                    AvailabilityZone = spec.AvailabilityZone ?? t.AvailabilityZone,
                    VpcId = spec.VpcId ?? t.VpcId,
                    SubnetId = spec.SubnetId ?? t.SubnetId,
                    SecurityGroupId = spec.SecurityGroupId ?? t.SecurityGroupId,
                    FlavorId = spec.FlavorId ?? t.FlavorId,
                    VolumeType = spec.VolumeType ?? t.VolumeType,
                };
            }
        }

        throw new SmsException(SmsErrorCode.ResourceNotFound, $"There is no server template '{spec.ServerTemplate}'.");
    }

    private async Task<MigrationTask> RequireAsync(string taskId, CancellationToken cancellationToken)
        => await _store.GetAsync(taskId, cancellationToken).ConfigureAwait(false) ?? throw new SmsException(SmsErrorCode.ResourceNotFound, $"There is no migration task '{taskId}'.");

    private Task AuditAsync(string? taskId, string eventName, string outcome, string detail, CancellationToken cancellationToken)
        => _store.AppendAuditAsync(new AuditRecord(_time.GetUtcNow(), taskId, eventName, outcome, detail), cancellationToken);
}
