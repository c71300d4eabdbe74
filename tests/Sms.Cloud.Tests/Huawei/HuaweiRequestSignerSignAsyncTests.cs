using System.Net.Http.Headers;
using System.Text;
using Sms.Cloud.Huawei.Signing;
using Sms.Cloud.Tests.Huawei.TestDoubles;

namespace Sms.Cloud.Tests.Huawei;

public sealed class HuaweiRequestSignerSignAsyncTests
{
    private static readonly HuaweiCredentials Credentials = new("AccessKey", "SecretKey");
    private static readonly DateTimeOffset VectorTime = new(2006, 1, 2, 15, 4, 5, TimeSpan.Zero);
    private const string Vector2Json = "{\"Name\":\"test\",\"Id\":1}\n";

    // Vector 2 with "host" also signed; computed independently with a separate Python implementation.
    private const string Vector2WithHostSignature = "96d7c445d0d95ce4530c33518e54d3b22c459df4400c697d0fcf114121a96cd1";

    private static HttpRequestMessage Vector2Request() =>
        new(HttpMethod.Post, "https://example.huaweicloud.com/path?key=value")
        {
            Content = new StringContent(Vector2Json, Encoding.UTF8, "application/json"),
        };

    private static string Header(HttpRequestMessage request, string name) =>
        request.Headers.NonValidated.TryGetValues(name, out HeaderStringValues values) ? values.ToString() : "<missing>";

    [Fact]
    public async Task SignAsync_Vector2Request_AddsDateHostAndAuthorization()
    {
        using var request = Vector2Request();

        var result = await HuaweiRequestSigner.SignAsync(request, Credentials, VectorTime);

        Assert.Equal("20060102T150405Z", Header(request, "X-Sdk-Date"));
        Assert.Equal("example.huaweicloud.com", request.Headers.Host);
        Assert.Equal(
            "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=" + Vector2WithHostSignature,
            Header(request, "Authorization"));
        Assert.Equal(result.Authorization, Header(request, "Authorization"));
        Assert.Equal(
            "POST\n/path/\nkey=value\nhost:example.huaweicloud.com\nx-sdk-date:20060102T150405Z\n\nhost;x-sdk-date\n"
            + "a29d7b4c5efd1a22011d69fd7b7aee76fe51e4083c609244228de258afd61289",
            result.CanonicalRequest);
        Assert.False(request.Headers.Contains("X-Security-Token"));
    }

    [Fact]
    public async Task SignAsync_TemporaryCredentials_AddsAndSignsSecurityToken()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://ecs.cn-north-4.myhuaweicloud.com/v1/p/cloudservers");
        var temporary = new HuaweiCredentials("AccessKey", "SecretKey", "the-token");

        var result = await HuaweiRequestSigner.SignAsync(request, temporary, VectorTime);

        Assert.Equal("the-token", Header(request, "X-Security-Token"));
        Assert.Equal("host;x-sdk-date;x-security-token", result.SignedHeaders);
        Assert.Contains("\nx-security-token:the-token\n", result.CanonicalRequest, StringComparison.Ordinal);
        Assert.StartsWith(
            "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date;x-security-token, Signature=",
            Header(request, "Authorization"),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignAsync_MatchesPureSignOverTheSameParts()
    {
        using var request = Vector2Request();
        request.Headers.TryAddWithoutValidation("X-Project-Id", "0123456789abcdef");
        request.Headers.TryAddWithoutValidation("User-Agent", "sms-sdk");

        var result = await HuaweiRequestSigner.SignAsync(request, Credentials, VectorTime);
        var pure = HuaweiRequestSigner.Sign(
            "POST",
            request.RequestUri!,
            [new("Host", "example.huaweicloud.com"), new("X-Project-Id", "0123456789abcdef")],
            Encoding.UTF8.GetBytes(Vector2Json),
            Credentials,
            VectorTime);

        Assert.Equal(pure, result);
        Assert.Equal("host;x-project-id;x-sdk-date", result.SignedHeaders);
    }

    [Fact]
    public async Task SignAsync_SignedTwice_ReplacesDateAndAuthorization()
    {
        using var request = Vector2Request();
        await HuaweiRequestSigner.SignAsync(request, new HuaweiCredentials("ak", "sk", "t1"), VectorTime.AddMinutes(-30));

        await HuaweiRequestSigner.SignAsync(request, new HuaweiCredentials("AccessKey", "SecretKey", "t2"), VectorTime);

        Assert.Single(request.Headers.GetValues("X-Sdk-Date"));
        Assert.Single(request.Headers.GetValues("Authorization"));
        Assert.Equal("20060102T150405Z", Header(request, "X-Sdk-Date"));
        Assert.Equal("t2", Header(request, "X-Security-Token"));
        Assert.StartsWith("SDK-HMAC-SHA256 Access=AccessKey,", Header(request, "Authorization"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignAsync_CallerSuppliedHost_IsKeptAndSigned()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://10.0.0.1/v1/x");
        request.Headers.Host = "ecs.cn-north-4.myhuaweicloud.com";

        var result = await HuaweiRequestSigner.SignAsync(request, Credentials, VectorTime);

        Assert.Equal("ecs.cn-north-4.myhuaweicloud.com", request.Headers.Host);
        Assert.Contains("\nhost:ecs.cn-north-4.myhuaweicloud.com\n", result.CanonicalRequest, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://example.huaweicloud.com:8443/p", "example.huaweicloud.com:8443")]
    [InlineData("https://example.huaweicloud.com:443/p", "example.huaweicloud.com")]
    [InlineData("https://[::1]:8443/p", "[::1]:8443")]
    [InlineData("https://bücher.example/p", "xn--bcher-kva.example")]
    public async Task SignAsync_NoHostHeader_SetsHostAsSentOnTheWire(string uri, string expectedHost)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);

        var result = await HuaweiRequestSigner.SignAsync(request, Credentials, VectorTime);

        Assert.Equal(expectedHost, request.Headers.Host);
        Assert.Contains("\nhost:" + expectedHost + "\n", result.CanonicalRequest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignAsync_UnsignedPayloadHeader_UsesItAndDoesNotReadBody()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "https://example.huaweicloud.com/upload")
        {
            Content = new StreamContent(new NonSeekableStream([1, 2, 3], throwOnRead: true)),
        };
        request.Headers.TryAddWithoutValidation("X-Sdk-Content-Sha256", HuaweiRequestSigner.UnsignedPayload);

        var result = await HuaweiRequestSigner.SignAsync(request, Credentials, VectorTime);

        Assert.EndsWith("\nhost;x-sdk-content-sha256;x-sdk-date\nUNSIGNED-PAYLOAD", result.CanonicalRequest, StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_ContentSha256Header_ReplacesBodyHash()
    {
        var result = HuaweiRequestSigner.Sign(
            "PUT",
            new Uri("https://example.huaweicloud.com/upload"),
            [new("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD")],
            [1, 2, 3],
            Credentials,
            VectorTime);

        Assert.EndsWith("\nx-sdk-content-sha256;x-sdk-date\nUNSIGNED-PAYLOAD", result.CanonicalRequest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignAsync_OneShotStreamContent_HashesBodyAndKeepsItSendable()
    {
        byte[] body = Encoding.UTF8.GetBytes(Vector2Json);
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://example.huaweicloud.com/path?key=value")
        {
            Content = new StreamContent(new NonSeekableStream(body)),
        };

        var result = await HuaweiRequestSigner.SignAsync(request, Credentials, VectorTime);

        Assert.Equal(Vector2WithHostSignature, result.Signature);
        Assert.Equal(body, await request.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task SignAsync_NoContent_HashesEmptyBody()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://example.huaweicloud.com/path?limit=1");

        var result = await HuaweiRequestSigner.SignAsync(request, Credentials, VectorTime);

        Assert.EndsWith("\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", result.CanonicalRequest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignAsync_RelativeUri_ThrowsInvalidOperation()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/x", UriKind.Relative));

        await Assert.ThrowsAsync<InvalidOperationException>(() => HuaweiRequestSigner.SignAsync(request, Credentials, VectorTime));
    }

    [Fact]
    public void Sign_RelativeUri_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() =>
            HuaweiRequestSigner.Sign("GET", new Uri("/v1/x", UriKind.Relative), [], [], Credentials, VectorTime));
    }

    [Fact]
    public async Task SignAsync_CanceledToken_Throws()
    {
        using var request = Vector2Request();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            HuaweiRequestSigner.SignAsync(request, Credentials, VectorTime, cts.Token));
    }
}
