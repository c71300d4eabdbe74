namespace Sms.Cloud.Huawei.Http;

/// <summary>Per-request settings carried in <see cref="HttpRequestMessage.Options"/> down to the resilience handler.</summary>
internal static class HuaweiRequestOptions
{
    /// <summary>
    /// On a POST that carries a client token: asks whether the resource the POST creates already exists (looked up by
    /// its client-token tag). Its presence makes the POST retryable; before each retry the probe runs, and the retry
    /// only happens when the resource is not there yet.
    /// </summary>
    public static readonly HttpRequestOptionsKey<Func<CancellationToken, Task<bool>>> ExistenceProbe = new("Sms.Huawei.ExistenceProbe");
}
