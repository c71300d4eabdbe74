using Microsoft.Extensions.Logging;
using Sms.Cloud;
using Sms.Diagnostics;
using Sms.Migration;

namespace Sms.Workflow.Steps;

/// <summary>What the steps of one run of a task share: the cloud, the receiver, the passes, the fix-ups, and the bookkeeping of a step.</summary>
internal sealed class StepContext
{
    private readonly ITargetReceiverLauncher _launcher;
    private readonly PassRunner _passes;
    private readonly TargetFixups _fixups;
    private readonly ILogger _logger;
    private readonly MigrationMetrics _metrics;

    public StepContext(CloudCalls calls, ITargetReceiverLauncher launcher, PassRunner passes, TargetFixups fixups, ILogger logger, MigrationMetrics metrics)
    {
        Calls = calls;
        _launcher = launcher;
        _passes = passes;
        _fixups = fixups;
        _logger = logger;
        _metrics = metrics;
        Janitor = new ResourceJanitor(calls, logger);
    }

    public CloudCalls Calls { get; }

    public ResourceJanitor Janitor { get; }

    /// <summary>A test hook run as each step starts, once it is recorded.</summary>
    public Func<string, CancellationToken, Task>? Gate { get; init; }

    /// <summary>Records the step, runs it, and audits what it did.</summary>
    public async Task StepAsync(TaskRecorder recorder, string step, Func<CancellationToken, Task<string>> work, CancellationToken cancellationToken)
    {
        await recorder.UpdateAsync(t => t with { Step = step }, cancellationToken).ConfigureAwait(false);
        Log.StepStarting(_logger, recorder.Id, step);
        if (Gate is { } gate)
        {
            await gate(step, cancellationToken).ConfigureAwait(false);
        }

        var started = recorder.Time.GetTimestamp();
        var outcome = await work(cancellationToken).ConfigureAwait(false);
        _metrics.StepDuration.Record(recorder.Time.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("step", step));
        Log.StepCompleted(_logger, recorder.Id, step, outcome);
        await recorder.AuditAsync(step, "normal", outcome, cancellationToken).ConfigureAwait(false);
        recorder.Publish(MigrationEventKind.StepCompleted, $"{step}: {outcome}");
    }

    /// <summary>A pass of every disk through a receiver brought up on the target for it.</summary>
    public async Task<string> PassesAsync(TaskRecorder recorder, bool forceVerify, CancellationToken cancellationToken)
    {
        var server = await Calls.Cloud.Compute.GetServerAsync(recorder.Current.Target!.ServerId, cancellationToken).ConfigureAwait(false);
        var receiver = await _launcher.StartAsync(Calls.Cloud, server, cancellationToken).ConfigureAwait(false);
        await using (receiver.ConfigureAwait(false))
        {
            return await _passes.RunAsync(recorder, receiver, forceVerify, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The OS fix-ups of the target's file systems.</summary>
    public async Task<string> FixupsAsync(TaskRecorder recorder, CancellationToken cancellationToken)
    {
        var server = await Calls.Cloud.Compute.GetServerAsync(recorder.Current.Target!.ServerId, cancellationToken).ConfigureAwait(false);
        return await _fixups.ApplyAsync(recorder.Current, Calls.Cloud, _launcher.LocalTreeDirectory(Calls.Cloud, server), cancellationToken).ConfigureAwait(false);
    }

    public async Task LockAsync(TaskRecorder recorder, bool locked, CancellationToken cancellationToken)
        => await Calls.Cloud.Compute.SetLockedAsync(recorder.Current.Target!.ServerId, locked, cancellationToken).ConfigureAwait(false);
}
