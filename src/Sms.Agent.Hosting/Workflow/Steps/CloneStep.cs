using Sms.Cloud;
using Sms.Migration;

namespace Sms.Workflow.Steps;

/// <summary>
/// Clone: a test server from the synced target disks, in the target's zone and network, without stopping the sync.
/// A snapshot of every target disk, a volume from each, an image from the system disk's volume, a server from the
/// image with the data volumes attached; then the scaffolding (snapshots, image, the system disk's volume) is
/// deleted. Every call finds what an interrupted run made, so a resumed clone completes it.
/// </summary>
internal sealed class CloneStep
{
    private readonly StepContext _context;

    public CloneStep(StepContext context)
    {
        _context = context;
    }

    public async Task RunAsync(TaskRecorder recorder, CancellationToken cancellationToken)
    {
        if (recorder.Current.Kind != MigrationKind.Block)
        {
            throw new SmsException(SmsErrorCode.InvalidState, "A clone is made from the target's disks: only block-level tasks can be cloned.");
        }

        await _context.StepAsync(recorder, "clone", ct => CloneAsync(recorder, ct), cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> CloneAsync(TaskRecorder recorder, CancellationToken cancellationToken)
    {
        var task = recorder.Current;
        var target = task.Target!;
        var calls = _context.Calls;
        var prefix = $"sms-{task.Id}-clone{task.ClonesStarted}";
        var zone = target.AvailabilityZone ?? (await calls.Cloud.Compute.GetServerAsync(target.ServerId, cancellationToken).ConfigureAwait(false)).AvailabilityZone!;
        var disks = new List<CloudVolume>(target.VolumeIds.Count);
        for (var i = 0; i < target.VolumeIds.Count; i++)
        {
            var snapshot = await calls.SnapshotAsync(target.VolumeIds[i], $"{prefix}-disk{i}", cancellationToken).ConfigureAwait(false);
            await recorder.TrackAsync(new TrackedResource(TrackedResourceKind.Snapshot, snapshot.Id, ResourcePurpose.Temporary, calls.Cloud.Name, target.VolumeIds[i]), cancellationToken).ConfigureAwait(false);
            var volume = await calls.VolumeFromSnapshotAsync(snapshot, $"{prefix}-disk{i}", zone, cancellationToken).ConfigureAwait(false);
            await recorder.TrackAsync(new TrackedResource(TrackedResourceKind.Volume, volume.Id, i == 0 ? ResourcePurpose.Temporary : ResourcePurpose.Clone, calls.Cloud.Name), cancellationToken).ConfigureAwait(false);
            disks.Add(volume);
        }

        var image = await calls.ImageFromVolumeAsync(disks[0].Id, $"{prefix}-system", cancellationToken).ConfigureAwait(false);
        await recorder.TrackAsync(new TrackedResource(TrackedResourceKind.Image, image.Id, ResourcePurpose.Temporary, calls.Cloud.Name), cancellationToken).ConfigureAwait(false);
        var name = $"{task.Name}-clone{task.ClonesStarted}";
        var server = await calls.CreateServerAsync(
            new ServerSpec
            {
                Name = name,
                FlavorId = target.FlavorId ?? throw new SmsException(SmsErrorCode.InvalidState, "The target's flavor is unknown."),
                ImageId = image.Id,
                AvailabilityZone = zone,
                VpcId = target.VpcId ?? throw new SmsException(SmsErrorCode.InvalidState, "The target's VPC is unknown: configure a target in a known network to clone it."),
                SubnetId = target.SubnetId ?? throw new SmsException(SmsErrorCode.InvalidState, "The target's subnet is unknown."),
                SecurityGroupIds = target.SecurityGroupId is { } group ? [group] : [],
                SystemDiskGiB = disks[0].SizeGiB,
                Firmware = target.Firmware,
                Metadata = new Dictionary<string, string> { ["sms.task"] = task.Id, ["sms.clone"] = task.ClonesStarted.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                ClientToken = prefix,
            },
            cancellationToken).ConfigureAwait(false);
        await recorder.TrackAsync(new TrackedResource(TrackedResourceKind.Server, server.Id, ResourcePurpose.Clone, calls.Cloud.Name), cancellationToken).ConfigureAwait(false);
        for (var i = 1; i < disks.Count; i++)
        {
            await calls.AttachAsync(server.Id, disks[i].Id, cancellationToken).ConfigureAwait(false);
        }

        var scaffolding = await _context.Janitor.DeleteAsync(recorder, static r => r.Purpose == ResourcePurpose.Temporary, cancellationToken).ConfigureAwait(false);
        var now = recorder.Time.GetUtcNow();
        await recorder.UpdateAsync(t => t with { Clones = [.. t.Clones, new CloneRecord(server.Id, name, now)] }, cancellationToken).ConfigureAwait(false);
        return $"clone server {server.Id} ({name}) with {disks.Count} disk(s); {scaffolding} temporary resource(s) deleted";
    }
}
