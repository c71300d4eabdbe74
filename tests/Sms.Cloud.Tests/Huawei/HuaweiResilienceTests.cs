using Sms.Cloud.Tests.Huawei.Fake;
using Sms.Cloud.Tests.Huawei.Fixtures;
using Sms.Cloud.Tests.Huawei.Support;

namespace Sms.Cloud.Tests.Huawei;

public sealed class HuaweiResilienceTests
{
    private const string P = HuaweiFakeCloud.ProjectId;

    [Fact]
    public async Task GetServerAsync_503Then429_RetriesSignedAttemptsUntilItSucceeds()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();
        CloudServer server = await (await harness.Provider.Compute.StartCreateServerAsync(HuaweiTestData.ServerSpec())).WaitForValueAsync(HuaweiTestHarness.Poll);
        string path = $"/v1/{P}/cloudservers/{server.Id}";
        int before = harness.Fake.RequestsTo("ecs", "GET", path).Count;
        harness.Fake.InjectFault("ecs", "GET", path, 503, times: 1);
        harness.Fake.InjectFault("ecs", "GET", path, 429, times: 1);

        // When
        CloudServer again = await harness.Provider.Compute.GetServerAsync(server.Id);

        // Then
        Assert.Equal(server.Id, again.Id);
        List<FakeRequest> attempts = harness.Fake.RequestsTo("ecs", "GET", path).Skip(before).ToList();
        Assert.Equal(3, attempts.Count);
        Assert.All(attempts, a => Assert.True(a.SignatureValid));
    }

    [Fact]
    public async Task ListVolumesAsync_503BeyondTheRetries_ThrowsTransientAfterMaxAttempts()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync(o => o.MaxRetryAttempts = 2);
        harness.Fake.InjectFault("evs", "GET", $"/v2/{P}/cloudvolumes/detail", 503, times: 10);

        // When
        var error = await Assert.ThrowsAsync<CloudRequestFailedException>(() => harness.Provider.Volumes.ListVolumesAsync().ToListAsync().AsTask());

        // Then
        Assert.Equal(3, harness.Fake.RequestsTo("evs", "GET", $"/v2/{P}/cloudvolumes/detail").Count);
        Assert.Equal(503, error.Status);
        Assert.Equal("Common.0503", error.ProviderErrorCode);
        Assert.True(error.IsTransient);
        Assert.Equal(SmsErrorCode.CloudRequestFailed, error.ErrorCode);
    }

    [Fact]
    public async Task StartDetachVolumeAsync_503_RetriesTheDelete()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();
        CloudServer server = await (await harness.Provider.Compute.StartCreateServerAsync(HuaweiTestData.ServerSpec())).WaitForValueAsync(HuaweiTestHarness.Poll);
        string volumeId = server.Volumes[1].VolumeId;
        string path = $"/v1/{P}/cloudservers/{server.Id}/detachvolume/{volumeId}";
        harness.Fake.InjectFault("ecs", "DELETE", path, 503, times: 1);

        // When
        await (await harness.Provider.Compute.StartDetachVolumeAsync(server.Id, volumeId)).WaitForCompletionAsync(HuaweiTestHarness.Poll);

        // Then
        Assert.Equal(2, harness.Fake.RequestsTo("ecs", "DELETE", path).Count);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    public async Task CreateVpcAsync_PostWithoutClientTokenFails_IsNeverRetried(int status)
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();
        harness.Fake.InjectFault("vpc", "POST", $"/v1/{P}/vpcs", status, times: 1);

        // When
        var error = await Assert.ThrowsAsync<CloudRequestFailedException>(() => harness.Provider.Networks.CreateVpcAsync("sms-vpc", "192.168.0.0/16"));

        // Then
        Assert.Single(harness.Fake.RequestsTo("vpc", "POST", $"/v1/{P}/vpcs"));
        Assert.Equal(status, error.Status);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task StartCreateServerAsync_NoClientToken503_IsNeverRetried()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();
        harness.Fake.InjectFault("ecs", "POST", $"/v1/{P}/cloudservers", 503, times: 1);

        // When
        var error = await Assert.ThrowsAsync<CloudRequestFailedException>(() => harness.Provider.Compute.StartCreateServerAsync(HuaweiTestData.ServerSpec()));

        // Then
        Assert.Single(harness.Fake.RequestsTo("ecs", "POST", $"/v1/{P}/cloudservers"));
        Assert.Equal(SmsErrorCode.CreateServerFailed, error.ErrorCode);
        Assert.Empty(harness.Fake.RequestsTo("ecs", "GET", $"/v1/{P}/cloudservers/detail"));
    }

    [Fact]
    public async Task StartCreateServerAsync_ClientToken503BeforeTheCloud_LooksUpThenRetriesThePost()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();
        harness.Fake.InjectFault("ecs", "POST", $"/v1/{P}/cloudservers", 503, times: 1);

        // When
        CloudServer server = await (await harness.Provider.Compute.StartCreateServerAsync(HuaweiTestData.ServerSpec(clientToken: "tok-503"))).WaitForValueAsync(HuaweiTestHarness.Poll);

        // Then
        IReadOnlyList<FakeRequest> posts = harness.Fake.RequestsTo("ecs", "POST", $"/v1/{P}/cloudservers");
        Assert.Equal(2, posts.Count);
        Assert.Equal(posts[0].Body, posts[1].Body);
        Assert.All(posts, p => Assert.True(p.SignatureValid));
        Assert.Equal(2, harness.Fake.RequestsTo("ecs", "GET", $"/v1/{P}/cloudservers/detail").Count);
        Assert.Equal(server.Id, Assert.Single(harness.Fake.State.Servers).Key);
    }

    [Fact]
    public async Task StartCreateServerAsync_ClientTokenAnswerLostAfterTheCreate_DoesNotCreateTwice()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();
        harness.Fake.InjectLostAnswer("ecs", "POST", $"/v1/{P}/cloudservers", 503, times: 1);

        // When
        CloudOperation<CloudServer> operation = await harness.Provider.Compute.StartCreateServerAsync(HuaweiTestData.ServerSpec(clientToken: "tok-lost"));
        CloudServer server = await operation.WaitForValueAsync(HuaweiTestHarness.Poll);

        // Then
        Assert.Single(harness.Fake.RequestsTo("ecs", "POST", $"/v1/{P}/cloudservers"));
        Assert.Equal(server.Id, Assert.Single(harness.Fake.State.Servers).Key);
        Assert.Equal($"ecs:server-ready:{server.Id}", operation.Id);
        Assert.Contains(harness.Logs.Entries, e => e.Contains("[4006:HuaweiClientTokenFound]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetImageAsync_UnreachableEndpoint_ThrowsTransientTransportFailure()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync(o =>
        {
            o.Endpoints["ims"] = new Uri("http://127.0.0.1:1/");
            o.MaxRetryAttempts = 1;
        });

        // When
        var error = await Assert.ThrowsAsync<CloudRequestFailedException>(() => harness.Provider.Images.GetImageAsync(HuaweiFakeCloud.PublicImageId));

        // Then
        Assert.Equal(0, error.Status);
        Assert.True(error.IsTransient);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Contains("GET /v2/cloudimages", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetServerAsync_Throttled_ParsesTheGatewayErrorShape()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync(o => o.MaxRetryAttempts = 0);
        harness.Fake.InjectFault("ecs", "GET", $"/v1/{P}/cloudservers/.*", 429, times: 1, GatewayFixtures.Throttled);

        // When
        var error = await Assert.ThrowsAsync<CloudRequestFailedException>(() => harness.Provider.Compute.GetServerAsync("any"));

        // Then
        Assert.Equal(429, error.Status);
        Assert.Equal("APIGW.0308", error.ProviderErrorCode);
        Assert.Contains("throttling threshold", error.Message, StringComparison.Ordinal);
    }
}
