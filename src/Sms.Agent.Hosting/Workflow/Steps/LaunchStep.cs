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

    public async Task RunAsync(TaskRecorder recorder, CancellationToken cancellationToken)
    {
        var target = recorder.Current.Target!;
        await _context.StepAsync(recorder, "final-sync", ct => _context.PassesAsync(recorder, forceVerify: false, ct), cancellationToken).ConfigureAwait(false);
        await _context.StepAsync(recorder, "cutover-snapshots", ct => SnapshotsAsync(recorder, ct), cancellationToken).ConfigureAwait(false);
        await _context.StepAsync(recorder, "fix-ups", ct => _context.FixupsAsync(recorder, ct), cancellationToken).ConfigureAwait(false);
        await _context.StepAsync(
            recorder,
            "unlock",
            async ct =>
            {
                await _context.Calls.Cloud.Compute.SetLockedAsync(target.ServerId, false, ct).ConfigureAwait(false);
                return "target unlocked";
            },
            cancellationToken).ConfigureAwait(false);
        await _context.StepAsync(
            recorder,
            "start-target",
            async ct =>
            {
                var start = recorder.Current.Settings.StartTargetOnLaunch;
                await _context.Calls.PowerAsync(target.ServerId, on: start, ct).ConfigureAwait(false);
                return start ? "target started" : "target left stopped (Start Target Upon Launch: no)";
            },
            cancellationToken).ConfigureAwait(false);
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
