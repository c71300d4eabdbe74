using Sms.Cloud;
using Sms.Migration;

namespace Sms.Workflow.Steps;

/// <summary>
/// Launch (cutover): a final sync, a cutover snapshot of every target disk (replacing those of an earlier launch),
/// the OS fix-ups on the target's file systems, unlock, and start the target if the task says so. Each step is
/// recorded before it runs and is safe to run again, so a host killed anywhere in a launch finishes it on resume.
/// </summary>
internal sealed class LaunchStep
{
    private readonly StepContext _context;

    public LaunchStep(StepContext context)
    {
        _context = context;
    }

    /// <summary>The launch's steps in order.</summary>
    public static IReadOnlyList<string> Steps { get; } = ["final-sync", "cutover-snapshots", "fix-ups", "unlock", "start-target"];

    /// <summary>Runs the launch from the step it was in (a resumed launch does not redo the steps before it).</summary>
    public async Task RunAsync(TaskRecorder recorder, CancellationToken cancellationToken)
    {
        var target = recorder.Current.Target!;
        var from = recorder.Current.Step is { } step && Index(step) is var at and >= 0 ? at : 0;
        for (var i = from; i < Steps.Count; i++)
        {
            Func<CancellationToken, Task<string>> work = Steps[i] switch
            {
                "final-sync" => ct => _context.PassesAsync(recorder, forceVerify: false, ct),
                "cutover-snapshots" => ct => SnapshotsAsync(recorder, ct),
                "fix-ups" => ct => _context.FixupsAsync(recorder, ct),
                "unlock" => async ct =>
                {
                    await _context.Calls.Cloud.Compute.SetLockedAsync(target.ServerId, false, ct).ConfigureAwait(false);
                    return "target unlocked";
                },
                _ => async ct =>
                {
                    var start = recorder.Current.Settings.StartTargetOnLaunch;
                    await _context.Calls.PowerAsync(target.ServerId, on: start, ct).ConfigureAwait(false);
                    return start ? "target started" : "target left stopped (Start Target Upon Launch: no)";
                },
            };
            await _context.StepAsync(recorder, Steps[i], work, cancellationToken).ConfigureAwait(false);
        }
    }

    private static int Index(string step)
    {
        for (var i = 0; i < Steps.Count; i++)
        {
            if (Steps[i] == step)
            {
                return i;
            }
        }

        return -1;
    }

    private async Task<string> SnapshotsAsync(TaskRecorder recorder, CancellationToken cancellationToken)
    {
        var task = recorder.Current;
        var kept = new HashSet<string>(StringComparer.Ordinal);
        var volumes = task.Target!.VolumeIds;
        for (var i = 0; i < volumes.Count; i++)
        {
            var snapshot = await _context.Calls.SnapshotAsync(volumes[i], $"sms-{task.Id}-cutover{task.Launches}-disk{i}", cancellationToken).ConfigureAwait(false);
            await recorder.TrackAsync(new TrackedResource(TrackedResourceKind.Snapshot, snapshot.Id, ResourcePurpose.CutoverSnapshot, _context.Calls.Cloud.Name, volumes[i]), cancellationToken).ConfigureAwait(false);
            kept.Add(snapshot.Id);
        }

        // The seeds: old cutover snapshots are deleted when the target is launched again.
        var replaced = await _context.Janitor.DeleteAsync(recorder, r => r.Purpose == ResourcePurpose.CutoverSnapshot && !kept.Contains(r.Id), cancellationToken).ConfigureAwait(false);
        return $"{kept.Count} cutover snapshot(s){(replaced > 0 ? $", {replaced} of an earlier launch deleted" : string.Empty)}";
    }
}
