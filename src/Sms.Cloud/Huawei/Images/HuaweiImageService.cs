using System.Globalization;
using Sms.Cloud.Huawei.Http;
using Sms.Cloud.Huawei.Json;
using Sms.Cloud.Huawei.Operations;
using Sms.Discovery;
using static Sms.Cloud.Huawei.Http.HuaweiPath;

namespace Sms.Cloud.Huawei.Images;

/// <summary>
/// Images over IMS: create a system-disk image from a server or a volume (<c>POST /v2/cloudimages/action</c>, a job),
/// list and show (<c>GET /v2/cloudimages</c>, showing by <c>?id=</c>), delete (<c>DELETE /v2/images/{image_id}</c>).
/// </summary>
internal sealed class HuaweiImageService : IImageService
{
    private const int PageSize = 100;
    private readonly HuaweiApiClient _api;
    private readonly HuaweiOperationFactory _operations;

    public HuaweiImageService(HuaweiApiClient api, HuaweiOperationFactory operations)
    {
        _api = api;
        _operations = operations;
    }

    public Task<CloudOperation<CloudImage>> StartCreateImageFromServerAsync(string serverId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serverId);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return StartCreateAsync(new ImsCreateImageRequest { Name = name, InstanceId = serverId }, cancellationToken);
    }

    public Task<CloudOperation<CloudImage>> StartCreateImageFromVolumeAsync(string volumeId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(volumeId);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return StartCreateAsync(new ImsCreateImageRequest { Name = name, VolumeId = volumeId }, cancellationToken);
    }

    public async Task<CloudImage> GetImageAsync(string imageId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(imageId);
        string path = $"v2/cloudimages?id={E(imageId)}";
        (ImsImageListResponse response, string? requestId) = await _api.SendAsync(new HuaweiRequest(HuaweiServices.Ims, HttpMethod.Get, path), HuaweiJsonContext.Default.ImsImageListResponse, cancellationToken).ConfigureAwait(false);
        ImsImage? image = response.Images?.FirstOrDefault(i => string.Equals(i.Id, imageId, StringComparison.Ordinal));
        return image is null
            ? throw new CloudRequestFailedException(404, null, $"Huawei Cloud IMS has no image {imageId}.", requestId, SmsErrorCode.ResourceNotFound)
            : ToImage(image);
    }

    public async Task<IReadOnlyList<CloudImage>> ListImagesAsync(CancellationToken cancellationToken = default)
    {
        var images = new List<CloudImage>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? marker = null;
        while (true)
        {
            string path = string.Create(CultureInfo.InvariantCulture, $"v2/cloudimages?limit={PageSize}") + (marker is null ? string.Empty : "&marker=" + E(marker));
            (ImsImageListResponse response, _) = await _api.SendAsync(new HuaweiRequest(HuaweiServices.Ims, HttpMethod.Get, path), HuaweiJsonContext.Default.ImsImageListResponse, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<ImsImage> page = response.Images ?? [];
            bool anyNew = false;
            foreach (ImsImage image in page)
            {
                if (image.Id is not null && seen.Add(image.Id))
                {
                    anyNew = true;
                    images.Add(ToImage(image));
                    marker = image.Id;
                }
            }

            if (page.Count < PageSize || !anyNew)
            {
                return images;
            }
        }
    }

    public async Task DeleteImageAsync(string imageId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(imageId);
        await _api.SendAsync(new HuaweiRequest(HuaweiServices.Ims, HttpMethod.Delete, $"v2/images/{E(imageId)}"), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rebuilds an IMS operation from its persisted id.</summary>
    public CloudOperation Resume(HuaweiOperationId id) => CreateImageJob(id.ResourceId);

    private async Task<CloudOperation<CloudImage>> StartCreateAsync(ImsCreateImageRequest body, CancellationToken cancellationToken)
    {
        const string Path = "v2/cloudimages/action";
        var request = new HuaweiRequest(HuaweiServices.Ims, HttpMethod.Post, Path) { Body = HuaweiApiClient.Json(body, HuaweiJsonContext.Default.ImsCreateImageRequest) };
        (HuaweiJobAccepted accepted, string? requestId) = await _api.SendAsync(request, HuaweiJsonContext.Default.HuaweiJobAccepted, cancellationToken).ConfigureAwait(false);
        return _operations.Started(CreateImageJob(HuaweiOperationFactory.RequireJobId(accepted.JobId, HuaweiServices.Ims, "/" + Path, requestId)));
    }

    private HuaweiOperation<CloudImage> CreateImageJob(string jobId) =>
        _operations.Job<CloudImage>(
            HuaweiOperationKinds.CreateImage,
            jobId,
            (entities, ct) => GetImageAsync(entities.GetValueOrDefault("image_id") ?? throw HuaweiErrors.UnexpectedResponse(HuaweiServices.Ims, $"/v1/{_api.ProjectId}/jobs/{jobId}", "an image_id", null), ct));

    private static CloudImage ToImage(ImsImage image) => new()
    {
        Id = image.Id ?? string.Empty,
        Name = image.Name ?? string.Empty,
        Status = new CloudResourceStatus(image.Status ?? "unknown"),
        Firmware = string.Equals(image.FirmwareType, "uefi", StringComparison.OrdinalIgnoreCase) ? FirmwareType.Uefi : FirmwareType.Bios,
        MinDiskGiB = image.MinDisk,
    };
}
