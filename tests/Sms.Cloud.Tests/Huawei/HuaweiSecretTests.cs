using Microsoft.Extensions.DependencyInjection;
using Sms.Cloud.Huawei;
using Sms.Cloud.Tests.Huawei.Fake;
using Sms.Cloud.Tests.Huawei.Fixtures;
using Sms.Cloud.Tests.Huawei.Support;

namespace Sms.Cloud.Tests.Huawei;

public sealed class HuaweiSecretTests
{
    private const string P = HuaweiFakeCloud.ProjectId;
    private const string Token = "TemporaryToken-Secret-0123456789abcdefXYZ";

    [Fact]
    public async Task Logs_SuccessesRetriesAndFailuresWithTemporaryCredentials_NeverHoldTheSecretOrTheToken()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync(securityToken: Token);
        var errors = new List<Exception>();
        harness.Fake.InjectFault("ecs", "GET", $"/v1/{P}/jobs/.*", 503, times: 1);
        harness.Fake.FailNextJob("createVolume", "EVS.5400", "sold out");

        // When
        CloudServer server = await (await harness.Provider.Compute.StartCreateServerAsync(HuaweiTestData.ServerSpec(clientToken: "t-1"))).WaitForValueAsync(HuaweiTestHarness.Poll);
        await harness.Provider.Compute.SetLockedAsync(server.Id, true);
        errors.Add(await Assert.ThrowsAsync<CloudRequestFailedException>(() => harness.Provider.Compute.StartStopServerAsync(server.Id)));
        errors.Add(await Assert.ThrowsAsync<CloudRequestFailedException>(async () => await (await harness.Provider.Volumes.StartCreateVolumeAsync(new VolumeSpec { Name = "d", SizeGiB = 10, AvailabilityZone = HuaweiTestData.Zone })).WaitForCompletionAsync(HuaweiTestHarness.Poll)));
        errors.Add(await Assert.ThrowsAsync<CloudRequestFailedException>(() => harness.Provider.Networks.DeleteVpcAsync(HuaweiTestData.VpcId)));

        // Then
        Assert.All(harness.Fake.Requests, r => Assert.True(r.SignatureValid, r.ToString()));
        Assert.All(harness.Fake.Requests, r => Assert.Equal(Token, r.Header("X-Security-Token")));
        Assert.All(harness.Fake.Requests, r => Assert.Contains("x-security-token", r.Header("Authorization"), StringComparison.Ordinal));
        string logs = harness.Logs.AllText;
        Assert.Contains("[4000:HuaweiRequestSucceeded]", logs, StringComparison.Ordinal);
        Assert.Contains("[4001:HuaweiRequestFailed]", logs, StringComparison.Ordinal);
        Assert.Contains("System.Net.Http.HttpClient.Sms.HuaweiCloud.ecs", logs, StringComparison.Ordinal);
        AssertNoSecret(logs);
        Assert.DoesNotContain("Signature=", logs, StringComparison.Ordinal);
        Assert.All(errors, e => AssertNoSecret(e.ToString()));
    }

    [Fact]
    public async Task AnyCall_WrongSecretKey_IsRejectedWith401AndTheMessageHidesTheKey()
    {
        // Given
        const string WrongSecret = "Not-The-Right-Secret-Key-0000";
        await using var harness = await HuaweiTestHarness.StartAsync(o => o.SecretKey = WrongSecret);

        // When
        var error = await Assert.ThrowsAsync<CloudRequestFailedException>(() => harness.Provider.Networks.ListVpcsAsync());

        // Then
        FakeRequest request = Assert.Single(harness.Fake.Requests);
        Assert.False(request.SignatureValid);
        Assert.Equal(401, error.Status);
        Assert.Equal("APIGW.0301", error.ProviderErrorCode);
        Assert.False(error.IsTransient);
        Assert.DoesNotContain(WrongSecret, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(WrongSecret, harness.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCall_TemporaryCredentialsWithoutToken_IsRejected()
    {
        // Given: the fake expects a security token, the client has none.
        await using var fake = await HuaweiFakeCloud.StartAsync(Token);
        await using ServiceProvider services = new ServiceCollection()
            .AddHuaweiCloud(o => HuaweiTestHarness.Configure(o, fake))
            .BuildServiceProvider();
        var provider = services.GetRequiredService<HuaweiCloudProvider>();

        // When
        var error = await Assert.ThrowsAsync<CloudRequestFailedException>(() => provider.Images.ListImagesAsync());

        // Then
        Assert.Equal(401, error.Status);
        Assert.False(Assert.Single(fake.Requests).SignatureValid);
    }

    [Fact]
    public void ToString_Options_HidesKeysAndToken()
    {
        // Given
        var options = new HuaweiCloudOptions { Region = "cn-north-4", ProjectId = P, AccessKey = HuaweiFakeCloud.AccessKey, SecretKey = HuaweiFakeCloud.SecretKey, SecurityToken = Token };

        // When
        string text = options.ToString();

        // Then
        Assert.Contains("cn-north-4", text, StringComparison.Ordinal);
        Assert.DoesNotContain(HuaweiFakeCloud.AccessKey, text, StringComparison.Ordinal);
        AssertNoSecret(text);
    }

    private static void AssertNoSecret(string text)
    {
        Assert.DoesNotContain(HuaweiFakeCloud.SecretKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
    }
}
