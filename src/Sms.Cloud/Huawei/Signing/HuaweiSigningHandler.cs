namespace Sms.Cloud.Huawei.Signing;

/// <summary>
/// A <see cref="DelegatingHandler"/> that signs every outgoing request with <c>SDK-HMAC-SHA256</c>
/// (see <see cref="HuaweiRequestSigner.SignAsync"/>), using the time of an injected <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// Place it last (closest to the transport) in a pipeline, below any retry handler, so each attempt
/// is signed with a fresh <c>X-Sdk-Date</c> and no later handler changes a signed header.
/// </remarks>
public sealed class HuaweiSigningHandler : DelegatingHandler
{
    private readonly HuaweiCredentials _credentials;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a handler; set <see cref="DelegatingHandler.InnerHandler"/> or let an HTTP client factory do so.</summary>
    /// <param name="credentials">The credentials to sign with.</param>
    /// <param name="timeProvider">The clock for <c>X-Sdk-Date</c>, for example <see cref="TimeProvider.System"/>.</param>
    public HuaweiSigningHandler(HuaweiCredentials credentials, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _credentials = credentials;
        _timeProvider = timeProvider;
    }

    /// <summary>Creates a handler that forwards signed requests to <paramref name="innerHandler"/>.</summary>
    /// <param name="credentials">The credentials to sign with.</param>
    /// <param name="timeProvider">The clock for <c>X-Sdk-Date</c>, for example <see cref="TimeProvider.System"/>.</param>
    /// <param name="innerHandler">The handler that sends the signed request.</param>
    public HuaweiSigningHandler(HuaweiCredentials credentials, TimeProvider timeProvider, HttpMessageHandler innerHandler)
        : base(innerHandler)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _credentials = credentials;
        _timeProvider = timeProvider;
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await HuaweiRequestSigner.SignAsync(request, _credentials, _timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HuaweiRequestSigner.Sign(request, _credentials, _timeProvider.GetUtcNow(), cancellationToken);
        return base.Send(request, cancellationToken);
    }
}
