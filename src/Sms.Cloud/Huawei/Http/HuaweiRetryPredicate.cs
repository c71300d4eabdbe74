using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Retry;

namespace Sms.Cloud.Huawei.Http;

/// <summary>
/// Decides whether a failed attempt is retried: only transient failures (429, 408, 5xx, transport errors, attempt
/// timeouts), and only for idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE) or for POSTs that carry a client token
/// whose resource does not exist yet. Any other POST is never retried: it could create or act twice.
/// </summary>
internal static class HuaweiRetryPredicate
{
    public static async ValueTask<bool> ShouldRetryAsync(RetryPredicateArguments<HttpResponseMessage> args)
    {
        if (!HttpClientResiliencePredicates.IsTransient(args.Outcome))
        {
            return false;
        }

        HttpRequestMessage? request = args.Outcome.Result?.RequestMessage ?? args.Context.GetRequestMessage();
        if (request is null)
        {
            return false;
        }

        if (IsIdempotent(request.Method))
        {
            return true;
        }

        if (request.Method != HttpMethod.Post || !request.Options.TryGetValue(HuaweiRequestOptions.ExistenceProbe, out var probe))
        {
            return false;
        }

        try
        {
            bool exists = await probe(args.Context.CancellationToken).ConfigureAwait(false);
            return !exists;
        }
        catch (Exception ex) when (ex is HttpRequestException or CloudRequestFailedException or TaskCanceledException)
        {
            // Not knowing whether the first attempt created the resource: do not risk a second one.
            return false;
        }
    }

    public static bool IsIdempotent(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options
        || method == HttpMethod.Put || method == HttpMethod.Delete;
}
