using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sms.Cloud.Huawei.Compute;
using Sms.Cloud.Huawei.Http;
using Sms.Cloud.Huawei.Images;
using Sms.Cloud.Huawei.Networks;
using Sms.Cloud.Huawei.Operations;
using Sms.Cloud.Huawei.Volumes;

namespace Sms.Cloud.Huawei;

/// <summary>
/// Huawei Cloud as a migration target, over its REST APIs: ECS (servers), EVS (volumes, snapshots), VPC (networks)
/// and IMS (images), every request signed with AK/SK (<c>SDK-HMAC-SHA256</c>). Long-running calls return operations
/// that poll the service's job API (<c>/v1/{project_id}/jobs/{job_id}</c>) or the resource, with jittered back-off.
/// </summary>
/// <remarks>
/// Register it with <c>services.AddHuaweiCloud(options => …)</c>, which sets up the named HTTP clients (retries with
/// jitter on 429/5xx for idempotent calls, timeouts, signing). Thread-safe.
/// </remarks>
public sealed class HuaweiCloudProvider : ICloudProvider
{
    /// <summary>The provider name, also its key among keyed <see cref="ICloudProvider"/> services.</summary>
    public const string ProviderName = "huaweicloud";

    private readonly HuaweiComputeService _compute;
    private readonly HuaweiVolumeService _volumes;
    private readonly HuaweiNetworkService _networks;
    private readonly HuaweiImageService _images;

    /// <summary>Creates the provider over HTTP clients named after <see cref="HuaweiHttpClientNames"/>.</summary>
    /// <param name="httpClientFactory">The factory of the named clients <c>AddHuaweiCloud</c> registers.</param>
    /// <param name="options">The options (project id, endpoints, polling).</param>
    /// <param name="timeProvider">The clock for polling waits; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClientFactory"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The options have no project id.</exception>
    public HuaweiCloudProvider(IHttpClientFactory httpClientFactory, IOptions<HuaweiCloudOptions> options, TimeProvider? timeProvider = null, ILogger<HuaweiCloudProvider>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        ArgumentNullException.ThrowIfNull(options);
        var api = new HuaweiApiClient(httpClientFactory, options.Value, timeProvider ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance);
        var operations = new HuaweiOperationFactory(api);
        _compute = new HuaweiComputeService(api, operations);
        _volumes = new HuaweiVolumeService(api, operations);
        _networks = new HuaweiNetworkService(api);
        _images = new HuaweiImageService(api, operations);
    }

    /// <inheritdoc />
    public string Name => ProviderName;

    /// <inheritdoc />
    public IComputeService Compute => _compute;

    /// <inheritdoc />
    public IVolumeService Volumes => _volumes;

    /// <inheritdoc />
    public INetworkService Networks => _networks;

    /// <inheritdoc />
    public IImageService Images => _images;

    /// <summary>
    /// Resumes an operation by the id persisted from <see cref="CloudOperation.Id"/>: <c>{service}:{kind}:{id}</c>,
    /// for example <c>ecs:create-server:{job_id}</c>. The operation is polled once; if it failed, it is returned
    /// completed and its failure is raised by <see cref="CloudOperation.UpdateStatusAsync"/> and the waits.
    /// </summary>
    /// <param name="operationId">The id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The operation, with its status refreshed; creations are <see cref="CloudOperation{T}"/> of their resource.</returns>
    /// <exception cref="ArgumentException">The id is empty.</exception>
    /// <exception cref="CloudRequestFailedException">
    /// The id is not one this provider makes, or names a job the cloud does not know (both 404,
    /// <see cref="SmsErrorCode.ResourceNotFound"/>), or the status could not be read.
    /// </exception>
    public async Task<CloudOperation> ResumeOperationAsync(string operationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(operationId);
        if (!HuaweiOperationId.TryParse(operationId, out HuaweiOperationId? parsed))
        {
            throw new CloudRequestFailedException(
                404,
                null,
                $"'{operationId}' is not a Huawei Cloud operation ({{service}}:{{kind}}:{{id}}, for example ecs:create-server:{{job_id}}).",
                null,
                SmsErrorCode.ResourceNotFound);
        }

        HuaweiOperationId id = parsed.Value;
        CloudOperation operation = id.Service switch
        {
            HuaweiServices.Ecs => _compute.Resume(id),
            HuaweiServices.Evs => _volumes.Resume(id),
            _ => _images.Resume(id),
        };

        try
        {
            await operation.UpdateStatusAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CloudRequestFailedException) when (operation.HasCompleted)
        {
            // The operation itself failed: the caller sees it on the operation.
        }

        return operation;
    }
}
