using Microsoft.Extensions.DependencyInjection;
using Sms.Cloud.Huawei;
using Sms.Cloud.Tests.Huawei.Fake;
using Sms.Cloud.Tests.Huawei.Support;

namespace Sms.Cloud.Tests.Huawei;

public sealed class HuaweiJobFailureTests
{
    private const string P = HuaweiFakeCloud.ProjectId;

    [Fact]
    public async Task WaitForValueAsync_CreateServerJobFails_SurfacesFailReasonAndErrorCodeAsCreateServerFailed()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();
        harness.Fake.FailNextJob("createServer", "Ecs.0013", "The availability zone cn-north-4a has no capacity for flavor s6.large.2.");
        CloudOperation<CloudServer> operation = await harness.Provider.Compute.StartCreateServerAsync(HuaweiTestData.ServerSpec());

        // When
        var error = await Assert.ThrowsAsync<CloudRequestFailedException>(() => operation.WaitForValueAsync(HuaweiTestHarness.Poll));

        // Then
        Assert.Equal(0, error.Status);
        Assert.Equal("Ecs.0013", error.ProviderErrorCode);
        Assert.Equal(SmsErrorCode.CreateServerFailed, error.ErrorCode);
        Assert.Equal("SMS.0601", error.ErrorCode.Value);
        Assert.Contains("no capacity for flavor s6.large.2", error.Message, StringComparison.Ordinal);
        Assert.Contains("createServer", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.RequestId);
        string jobId = operation.Id.Split(':')[2];
        Assert.Equal(["INIT", "RUNNING", "FAIL"], harness.Fake.State.Jobs[jobId].Answered);
        Assert.True(operation.HasCompleted);
        Assert.Throws<InvalidOperationException>(() => operation.Value);
        var again = await Assert.ThrowsAsync<CloudRequestFailedException>(() => operation.UpdateStatusAsync());
        Assert.Same(error, again);
        Assert.Equal(3, harness.Fake.RequestsTo("ecs", "GET", $"/v1/{P}/jobs/{jobId}").Count);
        Assert.Empty(harness.Fake.State.Servers);
        Assert.Contains(harness.Logs.Entries, e => e.Contains("[4005:HuaweiOperationFailed]", StringComparison.Ordinal) && e.Contains("Ecs.0013", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WaitForValueAsync_CreateServerJobFailsOnQuota_IsQuotaExceeded()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();
        harness.Fake.FailNextJob("createServer", "Ecs.0605", "Insufficient quota: the vCPU quota of the project is exceeded.");
        CloudOperation<CloudServer> operation = await harness.Provider.Compute.StartCreateServerAsync(HuaweiTestData.ServerSpec());

        // When
        var error = await Assert.ThrowsAsync<CloudRequestFailedException>(() => operation.WaitForCompletionAsync(HuaweiTestHarness.Poll));

        // Then
        Assert.Equal(SmsErrorCode.QuotaExceeded, error.ErrorCode);
        Assert.Equal("Ecs.0605", error.ProviderErrorCode);
        Assert.Contains("vCPU quota", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForValueAsync_CreateVolumeJobFails_IsCreateDiskFailedWithTheReason()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();
        harness.Fake.FailNextJob("createVolume", "EVS.5400", "The volume type SSD is sold out in cn-north-4a.");
        CloudOperation<CloudVolume> operation = await harness.Provider.Volumes.StartCreateVolumeAsync(new VolumeSpec { Name = "d", SizeGiB = 10, AvailabilityZone = HuaweiTestData.Zone });

        // When
        var error = await Assert.ThrowsAsync<CloudRequestFailedException>(() => operation.WaitForValueAsync(HuaweiTestHarness.Poll));

        // Then
        Assert.Equal(SmsErrorCode.CreateDiskFailed, error.ErrorCode);
        Assert.Equal("SMS.1105", error.ErrorCode.Value);
        Assert.Equal("EVS.5400", error.ProviderErrorCode);
        Assert.Contains("sold out in cn-north-4a", error.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Fake.State.Volumes);
    }

    [Fact]
    public async Task WaitForCompletionAsync_OtherJobFails_IsCloudRequestFailed()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();
        CloudServer server = await (await harness.Provider.Compute.StartCreateServerAsync(HuaweiTestData.ServerSpec())).WaitForValueAsync(HuaweiTestHarness.Poll);
        harness.Fake.FailNextJob("batchStopServers", "Ecs.0410", "The server is being migrated.");

        // When
        CloudOperation stop = await harness.Provider.Compute.StartStopServerAsync(server.Id);
        var error = await Assert.ThrowsAsync<CloudRequestFailedException>(() => stop.WaitForCompletionAsync(HuaweiTestHarness.Poll));

        // Then
        Assert.Equal(SmsErrorCode.CloudRequestFailed, error.ErrorCode);
        Assert.Equal("Ecs.0410", error.ProviderErrorCode);
        Assert.Contains("being migrated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResumeOperationAsync_PersistedCreateServerId_FinishesInAnotherProvider()
    {
        // Given
        await using var first = await HuaweiTestHarness.StartAsync();
        string id = (await first.Provider.Compute.StartCreateServerAsync(HuaweiTestData.ServerSpec())).Id;
        await using ServiceProvider services = new ServiceCollection()
            .AddHuaweiCloud(o => HuaweiTestHarness.Configure(o, first.Fake))
            .BuildServiceProvider();
        ICloudProvider restarted = services.GetRequiredService<ICloudProvider>();

        // When
        CloudOperation resumed = await restarted.ResumeOperationAsync(id);
        CloudServer server = await Assert.IsAssignableFrom<CloudOperation<CloudServer>>(resumed).WaitForValueAsync(HuaweiTestHarness.Poll);

        // Then
        Assert.Equal(id, resumed.Id);
        Assert.Equal(first.Fake.State.Servers.Keys.Single(), server.Id);
        Assert.Equal(CloudResourceStatus.Active, server.Status);
    }

    [Fact]
    public async Task ResumeOperationAsync_FailedJob_ReturnsItCompletedAndTheWaitThrows()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();
        harness.Fake.FailNextJob("createVolume", "EVS.5400", "sold out");
        string id = (await harness.Provider.Volumes.StartCreateVolumeAsync(new VolumeSpec { Name = "d", SizeGiB = 10, AvailabilityZone = HuaweiTestData.Zone })).Id;
        string jobId = id.Split(':')[2];
        harness.Fake.State.Jobs[jobId].Position = 2;

        // When
        CloudOperation resumed = await harness.Provider.ResumeOperationAsync(id);

        // Then
        Assert.True(resumed.HasCompleted);
        var error = await Assert.ThrowsAsync<CloudRequestFailedException>(() => resumed.WaitForCompletionAsync(HuaweiTestHarness.Poll));
        Assert.Equal(SmsErrorCode.CreateDiskFailed, error.ErrorCode);
    }

    [Theory]
    [InlineData("not-an-operation")]
    [InlineData("ecs:create-volume:123")]
    [InlineData("s3:create-server:123")]
    [InlineData("ecs:create-server:")]
    public async Task ResumeOperationAsync_ForeignId_ThrowsNotFoundWithoutCallingTheCloud(string id)
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();

        // When
        var error = await Assert.ThrowsAsync<CloudRequestFailedException>(() => harness.Provider.ResumeOperationAsync(id));

        // Then
        Assert.Equal(404, error.Status);
        Assert.Equal(SmsErrorCode.ResourceNotFound, error.ErrorCode);
        Assert.Empty(harness.Fake.Requests);
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Provider.ResumeOperationAsync(string.Empty));
    }

    [Fact]
    public async Task ResumeOperationAsync_UnknownJob_ThrowsNotFoundFromTheJobQueryError()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();

        // When
        var error = await Assert.ThrowsAsync<CloudRequestFailedException>(() => harness.Provider.ResumeOperationAsync("ims:create-image:ff80808100000000"));

        // Then
        Assert.Equal(404, error.Status);
        Assert.Equal("Common.0024", error.ProviderErrorCode);
        Assert.Equal(SmsErrorCode.ResourceNotFound, error.ErrorCode);
        Assert.Single(harness.Fake.RequestsTo("ims", "GET", $"/v1/{P}/jobs/ff80808100000000"));
    }
}
