using Sms.Cloud;

namespace Sms.Workflow.Steps;

/// <summary>
/// The cloud calls of the workflow's steps, each idempotent by name or client token: run again after a crash, it
/// finds what the first run created instead of creating it twice.
/// </summary>
internal sealed class CloudCalls
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private readonly TimeProvider _time;

    public CloudCalls(ICloudProvider cloud, TimeProvider time)
    {
        Cloud = cloud;
        _time = time;
    }

    public ICloudProvider Cloud { get; }

    public async Task<CloudSnapshot> SnapshotAsync(string volumeId, string name, CancellationToken cancellationToken)
    {
        await foreach (var existing in Cloud.Volumes.ListSnapshotsAsync(volumeId, cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(existing.Name, name, StringComparison.Ordinal) && existing.Status != CloudResourceStatus.Error)
            {
                return existing.Status == CloudResourceStatus.Available ? existing : await WaitSnapshotAsync(existing.Id, cancellationToken).ConfigureAwait(false);
            }
        }

        var operation = await Cloud.Volumes.StartCreateSnapshotAsync(volumeId, name, cancellationToken).ConfigureAwait(false);
        return await operation.WaitForValueAsync(Poll, _time, cancellationToken).ConfigureAwait(false);
    }

    public async Task<CloudVolume> VolumeFromSnapshotAsync(CloudSnapshot snapshot, string name, string zone, CancellationToken cancellationToken)
    {
        await foreach (var existing in Cloud.Volumes.ListVolumesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(existing.Name, name, StringComparison.Ordinal) && existing.Status != CloudResourceStatus.Error)
            {
                return existing;
            }
        }

        var operation = await Cloud.Volumes.StartCreateVolumeAsync(
            new VolumeSpec { Name = name, SizeGiB = snapshot.SizeGiB, AvailabilityZone = zone, SnapshotId = snapshot.Id, ClientToken = name },
            cancellationToken).ConfigureAwait(false);
        return await operation.WaitForValueAsync(Poll, _time, cancellationToken).ConfigureAwait(false);
    }

    public async Task<CloudImage> ImageFromVolumeAsync(string volumeId, string name, CancellationToken cancellationToken)
    {
        foreach (var existing in await Cloud.Images.ListImagesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(existing.Name, name, StringComparison.Ordinal) && existing.Status != CloudResourceStatus.Error)
            {
                return existing;
            }
        }

        var operation = await Cloud.Images.StartCreateImageFromVolumeAsync(volumeId, name, cancellationToken).ConfigureAwait(false);
        return await operation.WaitForValueAsync(Poll, _time, cancellationToken).ConfigureAwait(false);
    }

    public async Task<CloudServer> CreateServerAsync(ServerSpec spec, CancellationToken cancellationToken)
    {
        var operation = await Cloud.Compute.StartCreateServerAsync(spec, cancellationToken).ConfigureAwait(false);
        return await operation.WaitForValueAsync(Poll, _time, cancellationToken).ConfigureAwait(false);
    }

    public async Task AttachAsync(string serverId, string volumeId, CancellationToken cancellationToken)
    {
        var server = await Cloud.Compute.GetServerAsync(serverId, cancellationToken).ConfigureAwait(false);
        foreach (var attached in server.Volumes)
        {
            if (string.Equals(attached.VolumeId, volumeId, StringComparison.Ordinal))
            {
                return;
            }
        }

        await WaitAsync(Cloud.Compute.StartAttachVolumeAsync(serverId, volumeId, null, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task PowerAsync(string serverId, bool on, CancellationToken cancellationToken)
    {
        var server = await Cloud.Compute.GetServerAsync(serverId, cancellationToken).ConfigureAwait(false);
        if (on && server.Status != CloudResourceStatus.Active)
        {
            await WaitAsync(Cloud.Compute.StartStartServerAsync(serverId, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        else if (!on && server.Status == CloudResourceStatus.Active)
        {
            await WaitAsync(Cloud.Compute.StartStopServerAsync(serverId, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a delete; a resource that is already gone counts as deleted.</summary>
    public static async Task<bool> DeletedAsync(Func<Task> delete)
    {
        try
        {
            await delete().ConfigureAwait(false);
            return true;
        }
        catch (CloudRequestFailedException ex) when (ex.Status == 404 || ex.ErrorCode == SmsErrorCode.ResourceNotFound)
        {
            return false;
        }
    }

    public async Task WaitAsync(Task<CloudOperation> start, CancellationToken cancellationToken)
    {
        var operation = await start.ConfigureAwait(false);
        await operation.WaitForCompletionAsync(Poll, _time, cancellationToken).ConfigureAwait(false);
    }

    private async Task<CloudSnapshot> WaitSnapshotAsync(string snapshotId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var snapshot = await Cloud.Volumes.GetSnapshotAsync(snapshotId, cancellationToken).ConfigureAwait(false);
            if (snapshot.Status == CloudResourceStatus.Available)
            {
                return snapshot;
            }

            if (snapshot.Status == CloudResourceStatus.Error)
            {
                throw new SmsException(SmsErrorCode.CloudRequestFailed, $"Snapshot '{snapshotId}' failed.");
            }

            await Task.Delay(Poll, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
