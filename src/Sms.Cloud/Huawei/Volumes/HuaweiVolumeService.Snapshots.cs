using System.Globalization;
using System.Runtime.CompilerServices;
using Sms.Cloud.Huawei.Http;
using Sms.Cloud.Huawei.Json;
using Sms.Cloud.Huawei.Operations;
using static Sms.Cloud.Huawei.Http.HuaweiPath;

namespace Sms.Cloud.Huawei.Volumes;

/// <summary>Snapshots over EVS <c>/v2/{project_id}/cloudsnapshots…</c>: create, show, list, delete and roll back.</summary>
internal sealed partial class HuaweiVolumeService
{
    public async Task<CloudOperation<CloudSnapshot>> StartCreateSnapshotAsync(string volumeId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(volumeId);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var body = new EvsCreateSnapshotRequest { Snapshot = new EvsCreateSnapshotOption { VolumeId = volumeId, Force = true, Name = name } };
        string path = $"v2/{Project}/cloudsnapshots";
        var request = new HuaweiRequest(HuaweiServices.Evs, HttpMethod.Post, path) { Body = HuaweiApiClient.Json(body, HuaweiJsonContext.Default.EvsCreateSnapshotRequest) };
        (EvsSnapshotResponse response, string? requestId) = await _api.SendAsync(request, HuaweiJsonContext.Default.EvsSnapshotResponse, cancellationToken).ConfigureAwait(false);
        string snapshotId = response.Snapshot?.Id is { Length: > 0 } id ? id : throw HuaweiErrors.UnexpectedResponse(HuaweiServices.Evs, "/" + path, "a snapshot id", requestId);
        return _operations.Started(SnapshotCreated(snapshotId));
    }

    public async Task<CloudSnapshot> GetSnapshotAsync(string snapshotId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(snapshotId);
        string path = $"v2/{Project}/cloudsnapshots/{E(snapshotId)}";
        (EvsSnapshotResponse response, string? requestId) = await _api.SendAsync(new HuaweiRequest(HuaweiServices.Evs, HttpMethod.Get, path), HuaweiJsonContext.Default.EvsSnapshotResponse, cancellationToken).ConfigureAwait(false);
        return HuaweiVolumeMapper.ToSnapshot(response.Snapshot ?? throw HuaweiErrors.UnexpectedResponse(HuaweiServices.Evs, "/" + path, "a snapshot", requestId));
    }

    public async IAsyncEnumerable<CloudSnapshot> ListSnapshotsAsync(string? volumeId = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int offset = 0; ; offset += PageSize)
        {
            string path = string.Create(CultureInfo.InvariantCulture, $"v2/{Project}/cloudsnapshots/detail?limit={PageSize}&offset={offset}")
                + (string.IsNullOrEmpty(volumeId) ? string.Empty : "&volume_id=" + E(volumeId));
            (EvsSnapshotListResponse response, _) = await _api.SendAsync(new HuaweiRequest(HuaweiServices.Evs, HttpMethod.Get, path), HuaweiJsonContext.Default.EvsSnapshotListResponse, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<EvsSnapshot> page = response.Snapshots ?? [];
            bool anyNew = false;
            foreach (EvsSnapshot snapshot in page)
            {
                if (snapshot.Id is not null && seen.Add(snapshot.Id))
                {
                    anyNew = true;
                    yield return HuaweiVolumeMapper.ToSnapshot(snapshot);
                }
            }

            if (page.Count < PageSize || !anyNew)
            {
                yield break;
            }
        }
    }

    public async Task<CloudOperation> StartDeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(snapshotId);
        await _api.SendAsync(new HuaweiRequest(HuaweiServices.Evs, HttpMethod.Delete, $"v2/{Project}/cloudsnapshots/{E(snapshotId)}"), cancellationToken).ConfigureAwait(false);
        return _operations.Started(SnapshotDeleted(snapshotId));
    }

    public async Task<CloudOperation> StartRollbackSnapshotAsync(string snapshotId, string volumeId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(snapshotId);
        ArgumentException.ThrowIfNullOrWhiteSpace(volumeId);
        var body = new EvsRollbackRequest { Rollback = new EvsRollbackOption { VolumeId = volumeId } };
        var request = new HuaweiRequest(HuaweiServices.Evs, HttpMethod.Post, $"v2/{Project}/cloudsnapshots/{E(snapshotId)}/rollback")
        {
            Body = HuaweiApiClient.Json(body, HuaweiJsonContext.Default.EvsRollbackRequest),
        };
        await _api.SendAsync(request, HuaweiJsonContext.Default.EvsRollbackResponse, cancellationToken).ConfigureAwait(false);
        return _operations.Started(RolledBack(volumeId));
    }

    /// <summary>Polls a new snapshot until it is available (done) or in error (failed).</summary>
    private HuaweiOperation<CloudSnapshot> SnapshotCreated(string snapshotId)
    {
        CloudSnapshot? last = null;
        return _operations.Poll<CloudSnapshot>(
            HuaweiOperationKinds.SnapshotCreate,
            snapshotId,
            async ct =>
            {
                last = await GetSnapshotAsync(snapshotId, ct).ConfigureAwait(false);
                var entities = new Dictionary<string, string> { ["snapshot_id"] = snapshotId, ["volume_id"] = last.VolumeId };
                if (last.Status.Value.StartsWith("error", StringComparison.OrdinalIgnoreCase))
                {
                    return HuaweiPollOutcome.Failed(entities, HuaweiErrors.ResourceFailed("snapshot", snapshotId, last.Status.Value, null));
                }

                return last.Status == CloudResourceStatus.Available ? HuaweiPollOutcome.Succeeded(entities) : HuaweiPollOutcome.Running(entities);
            },
            (_, ct) => last is not null ? Task.FromResult(last) : GetSnapshotAsync(snapshotId, ct));
    }

    /// <summary>Polls a deleted snapshot until it is gone (404, done) or <c>error_deleting</c> (failed).</summary>
    private HuaweiOperation SnapshotDeleted(string snapshotId) =>
        _operations.Poll(
            HuaweiOperationKinds.SnapshotDelete,
            snapshotId,
            async ct =>
            {
                var entities = new Dictionary<string, string> { ["snapshot_id"] = snapshotId };
                CloudSnapshot snapshot;
                try
                {
                    snapshot = await GetSnapshotAsync(snapshotId, ct).ConfigureAwait(false);
                }
                catch (CloudRequestFailedException ex) when (ex.Status == 404)
                {
                    return HuaweiPollOutcome.Succeeded(entities);
                }

                return snapshot.Status.Value.StartsWith("error", StringComparison.OrdinalIgnoreCase)
                    ? HuaweiPollOutcome.Failed(entities, HuaweiErrors.ResourceFailed("snapshot", snapshotId, snapshot.Status.Value, null))
                    : HuaweiPollOutcome.Running(entities);
            });
}
