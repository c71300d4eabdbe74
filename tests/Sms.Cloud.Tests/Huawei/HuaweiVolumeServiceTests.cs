using Sms.Cloud.Tests.Huawei.Fake;
using Sms.Cloud.Tests.Huawei.Fixtures;
using Sms.Cloud.Tests.Huawei.Support;

namespace Sms.Cloud.Tests.Huawei;

public sealed class HuaweiVolumeServiceTests
{
    private const string P = HuaweiFakeCloud.ProjectId;

    private static VolumeSpec Spec(string? token = null) => new()
    {
        Name = "sms-disk-1",
        SizeGiB = 100,
        AvailabilityZone = HuaweiTestData.Zone,
        VolumeType = "SSD",
        ClientToken = token,
    };

    [Fact]
    public async Task StartCreateVolumeAsync_Spec_PostsV21CloudvolumesAndReadsTheVolumeOfTheJob()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();

        // When
        CloudOperation<CloudVolume> operation = await harness.Provider.Volumes.StartCreateVolumeAsync(Spec());
        CloudVolume volume = await operation.WaitForValueAsync(HuaweiTestHarness.Poll);

        // Then
        FakeRequest create = Assert.Single(harness.Fake.RequestsTo("evs", "POST", $"/v2\\.1/{P}/cloudvolumes"));
        JsonAssert.Equivalent(EvsFixtures.CreateVolumeRequest, create.Body);
        string jobId = operation.Id.Split(':')[2];
        Assert.Equal($"evs:create-volume:{jobId}", operation.Id);
        Assert.Equal(3, harness.Fake.RequestsTo("evs", "GET", $"/v1/{P}/jobs/{jobId}").Count);
        Assert.Empty(harness.Fake.RequestsTo("ecs", "GET", $"/v1/{P}/jobs/.*"));
        Assert.Equal(volume.Id, operation.Entities["volume_id"]);
        Assert.Equal("sms-disk-1", volume.Name);
        Assert.Equal(100, volume.SizeGiB);
        Assert.Equal(CloudResourceStatus.Available, volume.Status);
        Assert.Equal(HuaweiTestData.Zone, volume.AvailabilityZone);
        Assert.Null(volume.AttachedTo);
        Assert.Single(harness.Fake.RequestsTo("evs", "GET", $"/v2/{P}/cloudvolumes/{volume.Id}"));
    }

    [Fact]
    public async Task StartCreateVolumeAsync_NoVolumeType_UsesTheDefaultType()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync(o => o.DefaultVolumeType = "SAS");

        // When
        await harness.Provider.Volumes.StartCreateVolumeAsync(Spec() with { VolumeType = null, SnapshotId = null });

        // Then
        Assert.Equal("SAS", (string?)Assert.Single(harness.Fake.RequestsTo("evs", "POST", $"/v2\\.1/{P}/cloudvolumes")).Json!["volume"]!["volume_type"]);
    }

    [Fact]
    public async Task StartCreateVolumeAsync_SameClientToken_FindsTheTaggedVolumeInsteadOfCreating()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();
        CloudVolume first = await (await harness.Provider.Volumes.StartCreateVolumeAsync(Spec("disk-token-1"))).WaitForValueAsync(HuaweiTestHarness.Poll);

        // When
        CloudOperation<CloudVolume> again = await harness.Provider.Volumes.StartCreateVolumeAsync(Spec("disk-token-1"));
        CloudVolume second = await again.WaitForValueAsync(HuaweiTestHarness.Poll);

        // Then
        Assert.Equal(first.Id, second.Id);
        Assert.Equal($"evs:volume-ready:{first.Id}", again.Id);
        FakeRequest create = Assert.Single(harness.Fake.RequestsTo("evs", "POST", $"/v2\\.1/{P}/cloudvolumes"));
        Assert.Equal("disk-token-1", (string?)create.Json!["volume"]!["metadata"]!["sms:client_token"]);
        Assert.Contains(harness.Fake.RequestsTo("evs", "GET", $"/v2/{P}/cloudvolumes/detail"), r => r.Query == "?limit=50&offset=0&name=sms-disk-1");
    }

    [Fact]
    public async Task GetVolumeAsync_RecordedAttachedVolume_MapsAttachment()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();
        CloudServer server = await (await harness.Provider.Compute.StartCreateServerAsync(HuaweiTestData.ServerSpec())).WaitForValueAsync(HuaweiTestHarness.Poll);

        // When
        CloudVolume system = await harness.Provider.Volumes.GetVolumeAsync(server.Volumes[0].VolumeId);

        // Then
        Assert.Equal(server.Id, system.AttachedTo);
        Assert.Equal(CloudResourceStatus.InUse, system.Status);
        Assert.Equal(40, system.SizeGiB);
    }

    [Fact]
    public async Task StartExtendVolumeAsync_NewSize_PostsOsExtendOnV21Action()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();
        CloudVolume volume = await (await harness.Provider.Volumes.StartCreateVolumeAsync(Spec())).WaitForValueAsync(HuaweiTestHarness.Poll);

        // When
        CloudOperation operation = await harness.Provider.Volumes.StartExtendVolumeAsync(volume.Id, 150);
        await operation.WaitForCompletionAsync(HuaweiTestHarness.Poll);

        // Then
        JsonAssert.Equivalent(EvsFixtures.ExtendVolumeRequest, Assert.Single(harness.Fake.RequestsTo("evs", "POST", $"/v2\\.1/{P}/cloudvolumes/{volume.Id}/action")).Body);
        Assert.StartsWith("evs:extend-volume:", operation.Id, StringComparison.Ordinal);
        Assert.Equal(150, (await harness.Provider.Volumes.GetVolumeAsync(volume.Id)).SizeGiB);
    }

    [Fact]
    public async Task StartDeleteVolumeAsync_Volume_DeletesOnV2AndWaitsForTheJob()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();
        CloudVolume volume = await (await harness.Provider.Volumes.StartCreateVolumeAsync(Spec())).WaitForValueAsync(HuaweiTestHarness.Poll);

        // When
        await (await harness.Provider.Volumes.StartDeleteVolumeAsync(volume.Id)).WaitForCompletionAsync(HuaweiTestHarness.Poll);

        // Then
        Assert.Single(harness.Fake.RequestsTo("evs", "DELETE", $"/v2/{P}/cloudvolumes/{volume.Id}"));
        Assert.Empty(await harness.Provider.Volumes.ListVolumesAsync().ToListAsync());
        var error = await Assert.ThrowsAsync<CloudRequestFailedException>(() => harness.Provider.Volumes.GetVolumeAsync(volume.Id));
        Assert.Equal(SmsErrorCode.ResourceNotFound, error.ErrorCode);
        Assert.Equal("itemNotFound", error.ProviderErrorCode);
    }

    [Fact]
    public async Task Snapshots_CreateListRollBackDelete_UseCloudsnapshotsAndPollTheirStatus()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();
        CloudVolume volume = await (await harness.Provider.Volumes.StartCreateVolumeAsync(Spec())).WaitForValueAsync(HuaweiTestHarness.Poll);

        // When
        CloudOperation<CloudSnapshot> create = await harness.Provider.Volumes.StartCreateSnapshotAsync(volume.Id, "sms-sync-1");
        CloudSnapshot snapshot = await create.WaitForValueAsync(HuaweiTestHarness.Poll);
        List<CloudSnapshot> ofVolume = await harness.Provider.Volumes.ListSnapshotsAsync(volume.Id).ToListAsync();
        CloudOperation rollback = await harness.Provider.Volumes.StartRollbackSnapshotAsync(snapshot.Id, volume.Id);
        await rollback.WaitForCompletionAsync(HuaweiTestHarness.Poll);
        CloudOperation delete = await harness.Provider.Volumes.StartDeleteSnapshotAsync(snapshot.Id);
        await delete.WaitForCompletionAsync(HuaweiTestHarness.Poll);

        // Then
        JsonAssert.Equivalent(EvsFixtures.CreateSnapshotRequest.Replace("9fd7a7e4-6d5c-4f2e-8c0b-1a2b3c4d5e6f", volume.Id, StringComparison.Ordinal), Assert.Single(harness.Fake.RequestsTo("evs", "POST", $"/v2/{P}/cloudsnapshots")).Body);
        Assert.Equal($"evs:snapshot-create:{snapshot.Id}", create.Id);
        Assert.Equal(CloudResourceStatus.Available, snapshot.Status);
        Assert.Equal(volume.Id, snapshot.VolumeId);
        Assert.Equal(100, snapshot.SizeGiB);
        Assert.Equal(TimeSpan.Zero, snapshot.CreatedAt.Offset);
        Assert.True(snapshot.CreatedAt > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.Equal(snapshot.Id, Assert.Single(ofVolume).Id);
        Assert.Equal($"?limit=50&offset=0&volume_id={volume.Id}", Assert.Single(harness.Fake.RequestsTo("evs", "GET", $"/v2/{P}/cloudsnapshots/detail")).Query);

        JsonAssert.Equivalent(EvsFixtures.RollbackRequest.Replace("9fd7a7e4-6d5c-4f2e-8c0b-1a2b3c4d5e6f", volume.Id, StringComparison.Ordinal), Assert.Single(harness.Fake.RequestsTo("evs", "POST", $"/v2/{P}/cloudsnapshots/{snapshot.Id}/rollback")).Body);
        Assert.Equal($"evs:snapshot-rollback:{volume.Id}", rollback.Id);
        Assert.Equal(CloudResourceStatus.Available, (await harness.Provider.Volumes.GetVolumeAsync(volume.Id)).Status);

        Assert.Single(harness.Fake.RequestsTo("evs", "DELETE", $"/v2/{P}/cloudsnapshots/{snapshot.Id}"));
        Assert.Equal($"evs:snapshot-delete:{snapshot.Id}", delete.Id);
        Assert.Empty(await harness.Provider.Volumes.ListSnapshotsAsync().ToListAsync());
    }

    [Fact]
    public async Task StartCreateVolumeAsync_OverQuota_ThrowsQuotaExceeded()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();
        harness.Fake.State.VolumeQuota = 0;

        // When
        var error = await Assert.ThrowsAsync<CloudRequestFailedException>(() => harness.Provider.Volumes.StartCreateVolumeAsync(Spec()));

        // Then
        Assert.Equal(400, error.Status);
        Assert.Equal("EVS.2024", error.ProviderErrorCode);
        Assert.Equal(SmsErrorCode.QuotaExceeded, error.ErrorCode);
        Assert.False(error.IsTransient);
    }
}
