using Microsoft.Extensions.Logging;
using Sms.Cloud;
using Sms.Diagnostics;
using Sms.Migration;

namespace Sms.Workflow.Steps;

/// <summary>
/// Deletes resources a task recorded, dependents first (images, snapshots, servers with their disks, volumes, security
/// groups, subnets, VPCs: a disk with snapshots cannot go, nor a network a server uses), forgetting each in the store as soon as it is gone; one that is already gone counts as deleted.
/// </summary>
internal sealed class ResourceJanitor
{
    private static readonly TrackedResourceKind[] Order =
    [
        TrackedResourceKind.Image, TrackedResourceKind.Snapshot, TrackedResourceKind.Server, TrackedResourceKind.Volume,
        TrackedResourceKind.SecurityGroup, TrackedResourceKind.Subnet, TrackedResourceKind.Vpc,
    ];

    private readonly CloudCalls _calls;
    private readonly ILogger _logger;

    public ResourceJanitor(CloudCalls calls, ILogger logger)
    {
        _calls = calls;
        _logger = logger;
    }

    public async Task<int> DeleteAsync(TaskRecorder recorder, Func<TrackedResource, bool> which, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var kind in Order)
        {
            foreach (var resource in recorder.Current.Resources)
            {
                if (resource.Kind != kind || !which(resource))
                {
                    continue;
                }

                await DeleteOneAsync(resource, cancellationToken).ConfigureAwait(false);
                await recorder.ForgetAsync(resource.Id, cancellationToken).ConfigureAwait(false);
                Log.ResourceDeleted(_logger, recorder.Id, resource.Kind, resource.Id);
                deleted++;
            }
        }

        return deleted;
    }

    private async Task DeleteOneAsync(TrackedResource resource, CancellationToken cancellationToken)
    {
        var cloud = _calls.Cloud;
        switch (resource.Kind)
        {
            case TrackedResourceKind.Server:
                await CloudCalls.DeletedAsync(() => cloud.Compute.SetLockedAsync(resource.Id, false, cancellationToken)).ConfigureAwait(false);
                await CloudCalls.DeletedAsync(() => _calls.WaitAsync(cloud.Compute.StartDeleteServerAsync(resource.Id, deleteVolumes: true, cancellationToken), cancellationToken)).ConfigureAwait(false);
                break;
            case TrackedResourceKind.Image:
                await CloudCalls.DeletedAsync(() => cloud.Images.DeleteImageAsync(resource.Id, cancellationToken)).ConfigureAwait(false);
                break;
            case TrackedResourceKind.Snapshot:
                await CloudCalls.DeletedAsync(() => _calls.WaitAsync(cloud.Volumes.StartDeleteSnapshotAsync(resource.Id, cancellationToken), cancellationToken)).ConfigureAwait(false);
                break;
            case TrackedResourceKind.Volume:
                await CloudCalls.DeletedAsync(async () =>
                {
                    var volume = await cloud.Volumes.GetVolumeAsync(resource.Id, cancellationToken).ConfigureAwait(false);
                    if (volume.AttachedTo is { } server)
                    {
                        await _calls.WaitAsync(cloud.Compute.StartDetachVolumeAsync(server, resource.Id, cancellationToken), cancellationToken).ConfigureAwait(false);
                    }

                    await _calls.WaitAsync(cloud.Volumes.StartDeleteVolumeAsync(resource.Id, cancellationToken), cancellationToken).ConfigureAwait(false);
                }).ConfigureAwait(false);
                break;
            case TrackedResourceKind.SecurityGroup:
                await CloudCalls.DeletedAsync(() => cloud.Networks.DeleteSecurityGroupAsync(resource.Id, cancellationToken)).ConfigureAwait(false);
                break;
            case TrackedResourceKind.Subnet:
                await CloudCalls.DeletedAsync(() => cloud.Networks.DeleteSubnetAsync(resource.ParentId ?? string.Empty, resource.Id, cancellationToken)).ConfigureAwait(false);
                break;
            case TrackedResourceKind.Vpc:
                await CloudCalls.DeletedAsync(() => cloud.Networks.DeleteVpcAsync(resource.Id, cancellationToken)).ConfigureAwait(false);
                break;
        }
    }
}
