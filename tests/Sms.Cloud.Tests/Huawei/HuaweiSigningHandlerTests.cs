using System.Text;
using Sms.Cloud.Huawei.Signing;
using Sms.Cloud.Tests.Huawei.TestDoubles;

namespace Sms.Cloud.Tests.Huawei;

public sealed class HuaweiSigningHandlerTests
{
    private static readonly DateTimeOffset VectorTime = new(2006, 1, 2, 15, 4, 5, TimeSpan.Zero);
    private const string Vector2Json = "{\"Name\":\"test\",\"Id\":1}\n";
    private const string Vector2WithHostSignature = "96d7c445d0d95ce4530c33518e54d3b22c459df4400c697d0fcf114121a96cd1";

    [Fact]
    public async Task SendAsync_ThroughHttpClient_ServerReceivesVector2Signature()
    {
        var server = new RecordingHandler();
        using var client = new HttpClient(
            new HuaweiSigningHandler(new HuaweiCredentials("AccessKey", "SecretKey"), new FixedTimeProvider(VectorTime), server));

        using var content = new StringContent(Vector2Json, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri("https://example.huaweicloud.com/path?key=value"), content);

        var received = Assert.Single(server.Requests);
        Assert.Equal("20060102T150405Z", received.Headers["X-Sdk-Date"]);
        Assert.Equal("example.huaweicloud.com", received.Headers["Host"]);
        Assert.Equal(
            "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=" + Vector2WithHostSignature,
            received.Headers["Authorization"]);
        Assert.Equal(Encoding.UTF8.GetBytes(Vector2Json), received.Body);
    }

    [Fact]
    public void Send_SynchronousHttpClientSend_IsSignedToo()
    {
        var server = new RecordingHandler();
        using var client = new HttpClient(
            new HuaweiSigningHandler(new HuaweiCredentials("AccessKey", "SecretKey"), new FixedTimeProvider(VectorTime), server));
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://example.huaweicloud.com/path?key=value")
        {
            Content = new StringContent(Vector2Json, Encoding.UTF8, "application/json"),
        };

        using var response = client.Send(request);

        var received = Assert.Single(server.Requests);
        Assert.EndsWith("Signature=" + Vector2WithHostSignature, received.Headers["Authorization"], StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetBytes(Vector2Json), received.Body);
    }

    [Fact]
    public async Task SendAsync_TemporaryCredentialsAndDefaultHeaders_ServerCanVerifySignature()
    {
        var server = new RecordingHandler();
        var credentials = new HuaweiCredentials("AK-TEMP", "SK-TEMP", "token-value");
        var now = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
        using var client = new HttpClient(new HuaweiSigningHandler(credentials, new FixedTimeProvider(now)) { InnerHandler = server })
        {
            BaseAddress = new Uri("https://ecs.cn-north-4.myhuaweicloud.com/"),
        };
        client.DefaultRequestHeaders.TryAddWithoutValidation("X-Project-Id", "proj-1");

        using var response = await client.GetAsync(new Uri("v1/proj-1/cloudservers/detail?limit=2&name=web 01", UriKind.Relative));

        var received = Assert.Single(server.Requests);
        Assert.Equal("token-value", received.Headers["X-Security-Token"]);
        Assert.Equal("20250304T050607Z", received.Headers["X-Sdk-Date"]);

        // Server side: recompute from what arrived, using only the headers the client says it signed.
        string authorization = received.Headers["Authorization"];
        string signedHeaders = authorization.Split("SignedHeaders=")[1].Split(',')[0];
        Assert.Equal("host;x-project-id;x-sdk-date;x-security-token", signedHeaders);
        var verified = HuaweiRequestSigner.Sign(
            received.Method,
            received.Uri,
            signedHeaders.Split(';').Select(name => KeyValuePair.Create(name, received.Headers[name])),
            received.Body,
            credentials,
            now);
        Assert.Equal(verified.Authorization, authorization);
        Assert.Contains("\n/v1/proj-1/cloudservers/detail/\nlimit=2&name=web%2001\n", verified.CanonicalRequest, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NullArguments_Throw()
    {
        var credentials = new HuaweiCredentials("ak", "sk");

        Assert.Throws<ArgumentNullException>(() => new HuaweiSigningHandler(null!, TimeProvider.System));
        Assert.Throws<ArgumentNullException>(() => new HuaweiSigningHandler(credentials, null!));
    }
}
