using System.Globalization;
using System.Runtime.CompilerServices;
using Sms.Cloud.Huawei.Http;
using Sms.Cloud.Huawei.Json;
using Sms.Cloud.Huawei.Logging;
using Sms.Cloud.Huawei.Operations;
using static Sms.Cloud.Huawei.Http.HuaweiPath;

namespace Sms.Cloud.Huawei.Volumes;

/// <summary>
/// Volumes and snapshots over EVS: create and extend (<c>/v2.1/…</c>, jobs), show, list and delete (<c>/v2/…</c>),
/// and <c>cloudsnapshots</c> (create, show, list, delete, roll back), whose state is polled on the snapshot or volume.
/// </summary>
internal sealed partial class HuaweiVolumeService : IVolumeService
{
    private const int PageSize = 50;
    private readonly HuaweiApiClient _api;
    private readonly HuaweiOperationFactory _operations;

    public HuaweiVolumeService(HuaweiApiClient api, HuaweiOperationFactory operations)
    {
        _api = api;
        _operations = operations;
    }

    private string Project => E(_api.ProjectId);

    public async Task<CloudOperation<CloudVolume>> StartCreateVolumeAsync(VolumeSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrWhiteSpace(spec.Name, nameof(spec));
        ArgumentOutOfRangeException.ThrowIfLessThan(spec.SizeGiB, 1, nameof(spec));
        string? token = spec.ClientToken is null ? null : HuaweiClientTokens.Validate(spec.ClientToken, nameof(spec));
        if (token is not null && await FindVolumeByTokenAsync(spec.Name, token, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return Existing(existing);
        }

        var body = new EvsCreateVolumeRequest
        {
            Volume = new EvsCreateVolumeOption
            {
                AvailabilityZone = spec.AvailabilityZone,
                VolumeType = spec.VolumeType ?? _api.Options.DefaultVolumeType,
                Size = spec.SizeGiB,
                Name = spec.Name,
                SnapshotId = spec.SnapshotId,
                Metadata = token is null ? null : new Dictionary<string, string> { [HuaweiClientTokens.MetadataKey] = token },
            },
        };
        string path = $"v2.1/{Project}/cloudvolumes";
        var request = new HuaweiRequest(HuaweiServices.Evs, HttpMethod.Post, path)
        {
            Body = HuaweiApiClient.Json(body, HuaweiJsonContext.Default.EvsCreateVolumeRequest),
            FailureCode = SmsErrorCode.CreateDiskFailed,
            ExistenceProbe = token is null ? null : async ct => await FindVolumeByTokenAsync(spec.Name, token, ct).ConfigureAwait(false) is not null,
        };

        HuaweiResponse<HuaweiJobAccepted> accepted;
        try
        {
            accepted = await _api.SendAsync(request, HuaweiJsonContext.Default.HuaweiJobAccepted, cancellationToken).ConfigureAwait(false);
        }
        catch (CloudRequestFailedException ex) when (token is not null && ex.IsTransient)
        {
            if (await TryFindVolumeByTokenAsync(spec.Name, token, cancellationToken).ConfigureAwait(false) is { } created)
            {
                return Existing(created);
            }

            throw;
        }

        string jobId = HuaweiOperationFactory.RequireJobId(accepted.Value.JobId, HuaweiServices.Evs, "/" + path, accepted.RequestId);
        string? firstVolumeId = accepted.Value.VolumeIds is [var id, ..] ? id : null;
        return _operations.Started(CreateVolumeJob(jobId, firstVolumeId));
    }

    public async Task<CloudVolume> GetVolumeAsync(string volumeId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(volumeId);
        string path = $"v2/{Project}/cloudvolumes/{E(volumeId)}";
        (EvsVolumeResponse response, string? requestId) = await _api.SendAsync(new HuaweiRequest(HuaweiServices.Evs, HttpMethod.Get, path), HuaweiJsonContext.Default.EvsVolumeResponse, cancellationToken).ConfigureAwait(false);
        return HuaweiVolumeMapper.ToVolume(response.Volume ?? throw HuaweiErrors.UnexpectedResponse(HuaweiServices.Evs, "/" + path, "a volume", requestId));
    }

    public async IAsyncEnumerable<CloudVolume> ListVolumesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (EvsVolume volume in ListEvsVolumesAsync(null, cancellationToken).ConfigureAwait(false))
        {
            yield return HuaweiVolumeMapper.ToVolume(volume);
        }
    }

    public async Task<CloudOperation> StartExtendVolumeAsync(string volumeId, int newSizeGiB, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(volumeId);
        ArgumentOutOfRangeException.ThrowIfLessThan(newSizeGiB, 1);
        var body = new EvsExtendRequest { Extend = new EvsExtendOption { NewSize = newSizeGiB } };
        return await StartJobAsync(HuaweiOperationKinds.ExtendVolume, HttpMethod.Post, $"v2.1/{Project}/cloudvolumes/{E(volumeId)}/action", HuaweiApiClient.Json(body, HuaweiJsonContext.Default.EvsExtendRequest), cancellationToken).ConfigureAwait(false);
    }

    public async Task<CloudOperation> StartDeleteVolumeAsync(string volumeId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(volumeId);
        return await StartJobAsync(HuaweiOperationKinds.DeleteVolume, HttpMethod.Delete, $"v2/{Project}/cloudvolumes/{E(volumeId)}", null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rebuilds an EVS operation from its persisted id.</summary>
    public CloudOperation Resume(HuaweiOperationId id) => id.Kind switch
    {
        HuaweiOperationKinds.CreateVolume => CreateVolumeJob(id.ResourceId, null),
        HuaweiOperationKinds.VolumeReady => VolumeReady(id.ResourceId),
        HuaweiOperationKinds.SnapshotCreate => SnapshotCreated(id.ResourceId),
        HuaweiOperationKinds.SnapshotDelete => SnapshotDeleted(id.ResourceId),
        HuaweiOperationKinds.SnapshotRollback => RolledBack(id.ResourceId),
        _ => _operations.Job(id.Kind, id.ResourceId),
    };

    private HuaweiOperation<CloudVolume> CreateVolumeJob(string jobId, string? firstVolumeId) =>
        _operations.Job<CloudVolume>(
            HuaweiOperationKinds.CreateVolume,
            jobId,
            (entities, ct) => GetVolumeAsync(entities.GetValueOrDefault("volume_id") ?? firstVolumeId ?? throw HuaweiErrors.UnexpectedResponse(HuaweiServices.Evs, $"/v1/{_api.ProjectId}/jobs/{jobId}", "a volume_id", null), ct));

    private HuaweiOperation<CloudVolume> Existing(EvsVolume volume)
    {
        _api.Logger.ClientTokenFound("volume", volume.Id ?? string.Empty);
        return VolumeReady(volume.Id ?? string.Empty);
    }

    /// <summary>Polls a volume until it is available or in-use (done) or in an error status (failed).</summary>
    private HuaweiOperation<CloudVolume> VolumeReady(string volumeId) =>
        VolumePoll(HuaweiOperationKinds.VolumeReady, volumeId, SmsErrorCode.CreateDiskFailed);

    /// <summary>Polls the rolled-back volume until it leaves <c>rollbacking</c> (done) or reports an error (failed).</summary>
    private HuaweiOperation<CloudVolume> RolledBack(string volumeId) =>
        VolumePoll(HuaweiOperationKinds.SnapshotRollback, volumeId, null);

    private HuaweiOperation<CloudVolume> VolumePoll(string kind, string volumeId, SmsErrorCode? failureCode)
    {
        CloudVolume? last = null;
        return _operations.Poll<CloudVolume>(
            kind,
            volumeId,
            async ct =>
            {
                last = await GetVolumeAsync(volumeId, ct).ConfigureAwait(false);
                var entities = new Dictionary<string, string> { ["volume_id"] = volumeId };
                string status = last.Status.Value;
                if (status.StartsWith("error", StringComparison.OrdinalIgnoreCase))
                {
                    return HuaweiPollOutcome.Failed(entities, HuaweiErrors.ResourceFailed("volume", volumeId, status, failureCode));
                }

                return last.Status == CloudResourceStatus.Available || last.Status == CloudResourceStatus.InUse
                    ? HuaweiPollOutcome.Succeeded(entities)
                    : HuaweiPollOutcome.Running(entities);
            },
            (_, ct) => last is not null ? Task.FromResult(last) : GetVolumeAsync(volumeId, ct));
    }

    private Task<CloudOperation> StartJobAsync(string kind, HttpMethod method, string path, byte[]? body, CancellationToken cancellationToken)
        => _operations.StartJobAsync(HuaweiServices.Evs, kind, method, path, body, cancellationToken);

    private async Task<EvsVolume?> TryFindVolumeByTokenAsync(string name, string token, CancellationToken cancellationToken)
    {
        try
        {
            return await FindVolumeByTokenAsync(name, token, cancellationToken).ConfigureAwait(false);
        }
        catch (CloudRequestFailedException)
        {
            return null;
        }
    }

    private async Task<EvsVolume?> FindVolumeByTokenAsync(string name, string token, CancellationToken cancellationToken)
    {
        await foreach (EvsVolume volume in ListEvsVolumesAsync(name, cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(volume.Name, name, StringComparison.Ordinal) && string.Equals(HuaweiVolumeMapper.ClientTokenOf(volume), token, StringComparison.Ordinal)
                && !string.Equals(volume.Status, "deleting", StringComparison.OrdinalIgnoreCase))
            {
                return volume;
            }
        }

        return null;
    }

    /// <summary>Pages through <c>GET /v2/{project_id}/cloudvolumes/detail?limit=&amp;offset=</c> (an item offset).</summary>
    private async IAsyncEnumerable<EvsVolume> ListEvsVolumesAsync(string? name, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int offset = 0; ; offset += PageSize)
        {
            string path = string.Create(CultureInfo.InvariantCulture, $"v2/{Project}/cloudvolumes/detail?limit={PageSize}&offset={offset}")
                + (name is null ? string.Empty : "&name=" + E(name));
            (EvsVolumeListResponse response, _) = await _api.SendAsync(new HuaweiRequest(HuaweiServices.Evs, HttpMethod.Get, path), HuaweiJsonContext.Default.EvsVolumeListResponse, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<EvsVolume> page = response.Volumes ?? [];
            bool anyNew = false;
            foreach (EvsVolume volume in page)
            {
                if (volume.Id is not null && seen.Add(volume.Id))
                {
                    anyNew = true;
                    yield return volume;
                }
            }

            if (page.Count < PageSize || !anyNew)
            {
                yield break;
            }
        }
    }
}
