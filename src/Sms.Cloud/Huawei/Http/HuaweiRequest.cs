namespace Sms.Cloud.Huawei.Http;

/// <summary>One call of a Huawei REST API, before it is signed and sent.</summary>
/// <param name="Service">The service short name (its endpoint and its named client).</param>
/// <param name="Method">The method.</param>
/// <param name="PathAndQuery">The path under the endpoint, with its query, already escaped (no leading <c>/</c> needed).</param>
internal sealed record HuaweiRequest(string Service, HttpMethod Method, string PathAndQuery)
{
    /// <summary>The JSON body, exactly as sent (and signed).</summary>
    public byte[]? Body { get; init; }

    /// <summary>The SDK code for a failure of this call that is not a quota problem (creating a server or a disk).</summary>
    public SmsErrorCode? FailureCode { get; init; }

    /// <summary>For a POST with a client token: whether its resource already exists (see <see cref="HuaweiRequestOptions.ExistenceProbe"/>).</summary>
    public Func<CancellationToken, Task<bool>>? ExistenceProbe { get; init; }
}
