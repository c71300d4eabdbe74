using System.Globalization;

namespace Sms.Cloud.Huawei;

/// <summary>
/// Settings of the Huawei Cloud provider: where (region, project, endpoints), who (AK/SK, optional security token)
/// and how (polling and retry timing).
/// </summary>
/// <remarks><see cref="ToString"/> never prints the keys or the token.</remarks>
public sealed class HuaweiCloudOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Sms:HuaweiCloud";

    /// <summary>The region id.</summary>
    /// <value>For example <c>cn-north-4</c>; required.</value>
    public string? Region { get; set; }

    /// <summary>The project id of the region (sent in paths and as <c>X-Project-Id</c>).</summary>
    /// <value>Required.</value>
    public string? ProjectId { get; set; }

    /// <summary>The access key (AK).</summary>
    /// <value>Required.</value>
    public string? AccessKey { get; set; }

    /// <summary>The secret access key (SK); it only keys the request signature and is never logged.</summary>
    /// <value>Required.</value>
    public string? SecretKey { get; set; }

    /// <summary>The security token of temporary credentials, sent as <c>X-Security-Token</c>.</summary>
    /// <value><see langword="null"/> (the default) for permanent credentials.</value>
    public string? SecurityToken { get; set; }

    /// <summary>The cloud's domain, used to build <c>https://{service}.{region}.{domain}</c>.</summary>
    /// <value><see cref="HuaweiEndpoints.DefaultDomain"/> by default.</value>
    public string Domain { get; set; } = HuaweiEndpoints.DefaultDomain;

    /// <summary>Endpoint overrides per service short name (<c>ecs</c>, <c>evs</c>, <c>vpc</c>, <c>ims</c>).</summary>
    /// <value>Empty by default: every service uses its regional endpoint.</value>
    public IDictionary<string, Uri> Endpoints { get; } = new Dictionary<string, Uri>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The disk type of system and data disks when a spec does not name one (EVS <c>volume_type</c>, ECS <c>volumetype</c>).</summary>
    /// <value><c>GPSSD</c> (general-purpose SSD) by default; types differ per region and zone (SATA, SAS, SSD, GPSSD, ESSD…).</value>
    public string DefaultVolumeType { get; set; } = "GPSSD";

    /// <summary>The first interval between two polls of a job or a resource; later polls back off from it.</summary>
    /// <value>2 seconds by default (the API reference recommends 2 s to 30 s).</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest interval between two polls.</summary>
    /// <value>30 seconds by default.</value>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times a retryable request is retried (429, 5xx, transport errors; idempotent requests only).</summary>
    /// <value>3 by default; 0 turns retries off.</value>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The base delay of the exponential retry back-off (with jitter).</summary>
    /// <value>1 second by default.</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The timeout of one attempt of a request.</summary>
    /// <value>30 seconds by default.</value>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The timeout of a request over all its attempts.</summary>
    /// <value>2 minutes by default.</value>
    public TimeSpan TotalRequestTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Returns the endpoint of a service: its override, or <c>https://{service}.{region}.{domain}/</c>.</summary>
    /// <param name="service">The service short name, for example <c>ecs</c>.</param>
    /// <returns>The absolute endpoint, ending in <c>/</c>.</returns>
    /// <exception cref="ArgumentException">The service, the region or the domain is not a valid host label.</exception>
    /// <exception cref="InvalidOperationException">No override and no region.</exception>
    public Uri GetEndpoint(string service)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        if (Endpoints.TryGetValue(service, out Uri? endpoint))
        {
            string text = endpoint.AbsoluteUri;
            return text.EndsWith('/') ? endpoint : new Uri(text + "/", UriKind.Absolute);
        }

        if (string.IsNullOrWhiteSpace(Region))
        {
            throw new InvalidOperationException($"{SectionName}: the region is required to build the '{service}' endpoint.");
        }

        return HuaweiEndpoints.ForService(service, Region, Domain);
    }

    /// <summary>Describes the options without any key or token.</summary>
    /// <returns>The region, the project and whether credentials are set.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"HuaweiCloudOptions {{ Region = {Region}, ProjectId = {ProjectId}, AccessKey = {(string.IsNullOrEmpty(AccessKey) ? "(none)" : "***")}, SecretKey = {(string.IsNullOrEmpty(SecretKey) ? "(none)" : "***")}, HasSecurityToken = {SecurityToken is not null} }}");
}
