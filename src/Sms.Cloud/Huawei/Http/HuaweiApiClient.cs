using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Sms.Cloud.Huawei.Logging;

namespace Sms.Cloud.Huawei.Http;

/// <summary>
/// Sends JSON requests to Huawei services through their named <see cref="HttpClient"/>s (retry, timeouts and
/// AK/SK signing live in the clients' handlers), and turns error answers into <see cref="CloudRequestFailedException"/>
/// with the provider's code, message and request id.
/// </summary>
internal sealed class HuaweiApiClient
{
    /// <summary>The content type of request bodies, as the API reference's common request headers give it (not signed).</summary>
    public const string JsonContentType = "application/json;charset=utf8";

    public const string RequestIdHeaderName = "X-Request-Id";

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly HuaweiCloudOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;

    public HuaweiApiClient(IHttpClientFactory httpClientFactory, HuaweiCloudOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _httpClientFactory = httpClientFactory;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        ProjectId = options.ProjectId ?? throw new InvalidOperationException($"{HuaweiCloudOptions.SectionName}:ProjectId is required.");
    }

    public string ProjectId { get; }

    public ILogger Logger => _logger;

    public TimeProvider TimeProvider => _timeProvider;

    public HuaweiCloudOptions Options => _options;

    public static byte[] Json<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);

    public async Task<HuaweiResponse<T>> SendAsync<T>(HuaweiRequest request, JsonTypeInfo<T> responseType, CancellationToken cancellationToken)
    {
        (byte[] body, string? requestId) = await SendCoreAsync(request, cancellationToken).ConfigureAwait(false);
        T? value;
        try
        {
            value = body.Length == 0 ? default : JsonSerializer.Deserialize(body, responseType);
        }
        catch (JsonException ex)
        {
            throw new CloudRequestFailedException(
                200,
                null,
                $"Huawei Cloud {request.Service.ToUpperInvariant()} {request.Method.Method} {PathOnly(request.PathAndQuery)} answered a body that is not the expected JSON: {ex.Message}",
                requestId,
                SmsErrorCode.CloudRequestFailed,
                ex);
        }

        return value is null
            ? throw HuaweiErrors.UnexpectedResponse(request.Service, PathOnly(request.PathAndQuery), "a body", requestId)
            : new HuaweiResponse<T>(value, requestId);
    }

    public async Task<string?> SendAsync(HuaweiRequest request, CancellationToken cancellationToken)
    {
        (_, string? requestId) = await SendCoreAsync(request, cancellationToken).ConfigureAwait(false);
        return requestId;
    }

    private async Task<(byte[] Body, string? RequestId)> SendCoreAsync(HuaweiRequest request, CancellationToken cancellationToken)
    {
        Uri uri = new(_options.GetEndpoint(request.Service), request.PathAndQuery.TrimStart('/'));
        string path = PathOnly(request.PathAndQuery);
        using var message = new HttpRequestMessage(request.Method, uri);
        message.Headers.TryAddWithoutValidation("X-Project-Id", ProjectId);
        message.Headers.TryAddWithoutValidation("Accept", "application/json");
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            message.Content.Headers.TryAddWithoutValidation("Content-Type", JsonContentType);
        }

        if (request.ExistenceProbe is not null)
        {
            message.Options.Set(HuaweiRequestOptions.ExistenceProbe, request.ExistenceProbe);
        }

        HttpClient client = _httpClientFactory.CreateClient(HuaweiHttpClientNames.ForService(request.Service));
        long started = _timeProvider.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            _logger.TransportFailed(request.Service, request.Method.Method, path, ex);
            throw HuaweiErrors.TransportFailed(request.Service, request.Method, path, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            _logger.TransportFailed(request.Service, request.Method.Method, path, ex);
            throw HuaweiErrors.TransportFailed(request.Service, request.Method, path, ex);
        }
        catch (Polly.Timeout.TimeoutRejectedException ex)
        {
            _logger.TransportFailed(request.Service, request.Method.Method, path, ex);
            throw HuaweiErrors.TransportFailed(request.Service, request.Method, path, ex);
        }

        using (response)
        {
            string? requestId = response.Headers.TryGetValues(RequestIdHeaderName, out IEnumerable<string>? ids) ? ids.FirstOrDefault() : null;
            byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                if (_logger.IsEnabled(LogLevel.Debug))
                {
                    long elapsedMs = (long)_timeProvider.GetElapsedTime(started).TotalMilliseconds;
                    _logger.RequestSucceeded(request.Service, request.Method.Method, path, status, elapsedMs, requestId);
                }

                return (body, requestId);
            }

            HuaweiErrorBody error = HuaweiErrorBody.Parse(body);
            if (error.Message is null && response.StatusCode == HttpStatusCode.NotFound)
            {
                error = error with { Message = "not found" };
            }

            _logger.RequestFailed(request.Service, request.Method.Method, path, status, error.Code, error.Message, requestId);
            throw HuaweiErrors.RequestFailed(status, error, requestId, request.Service, request.Method, path, request.FailureCode);
        }
    }

    private static string PathOnly(string pathAndQuery)
    {
        int query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        string path = query < 0 ? pathAndQuery : pathAndQuery[..query];
        return path.StartsWith('/') ? path : "/" + path;
    }
}
