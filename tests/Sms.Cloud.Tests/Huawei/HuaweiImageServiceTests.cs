using Sms.Cloud.Tests.Huawei.Fake;
using Sms.Cloud.Tests.Huawei.Fixtures;
using Sms.Cloud.Tests.Huawei.Support;
using Sms.Discovery;

namespace Sms.Cloud.Tests.Huawei;

public sealed class HuaweiImageServiceTests
{
    private const string P = HuaweiFakeCloud.ProjectId;

    [Fact]
    public async Task StartCreateImageFromServerAsync_StoppedServer_PostsInstanceIdAndPollsTheImsJob()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();
        CloudServer server = await (await harness.Provider.Compute.StartCreateServerAsync(HuaweiTestData.ServerSpec() with { Firmware = FirmwareType.Uefi })).WaitForValueAsync(HuaweiTestHarness.Poll);
        await (await harness.Provider.Compute.StartStopServerAsync(server.Id)).WaitForCompletionAsync(HuaweiTestHarness.Poll);

        // When
        CloudOperation<CloudImage> operation = await harness.Provider.Images.StartCreateImageFromServerAsync(server.Id, "sms-image-1");
        CloudImage image = await operation.WaitForValueAsync(HuaweiTestHarness.Poll);

        // Then
        FakeRequest create = Assert.Single(harness.Fake.RequestsTo("ims", "POST", "/v2/cloudimages/action"));
        JsonAssert.Equivalent(ImsFixtures.CreateFromServerRequest.Replace("b3a8d6b2-8e34-4a3d-a4a8-2f0b5b2e6d11", server.Id, StringComparison.Ordinal), create.Body);
        string jobId = operation.Id.Split(':')[2];
        Assert.Equal($"ims:create-image:{jobId}", operation.Id);
        Assert.Equal(3, harness.Fake.RequestsTo("ims", "GET", $"/v1/{P}/jobs/{jobId}").Count);
        Assert.Equal(image.Id, operation.Entities["image_id"]);
        Assert.Equal("sms-image-1", image.Name);
        Assert.Equal("active", image.Status.Value);
        Assert.Equal(FirmwareType.Uefi, image.Firmware);
        Assert.Equal(40, image.MinDiskGiB);
        Assert.Equal($"?id={image.Id}", harness.Fake.RequestsTo("ims", "GET", "/v2/cloudimages")[^1].Query);
    }

    [Fact]
    public async Task StartCreateImageFromVolumeAsync_Volume_PostsVolumeId()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();
        CloudVolume volume = await (await harness.Provider.Volumes.StartCreateVolumeAsync(new VolumeSpec { Name = "sys", SizeGiB = 50, AvailabilityZone = HuaweiTestData.Zone })).WaitForValueAsync(HuaweiTestHarness.Poll);

        // When
        CloudImage image = await (await harness.Provider.Images.StartCreateImageFromVolumeAsync(volume.Id, "sms-image-2")).WaitForValueAsync(HuaweiTestHarness.Poll);

        // Then
        JsonAssert.Equivalent(ImsFixtures.CreateFromVolumeRequest.Replace("9fd7a7e4-6d5c-4f2e-8c0b-1a2b3c4d5e6f", volume.Id, StringComparison.Ordinal), Assert.Single(harness.Fake.RequestsTo("ims", "POST", "/v2/cloudimages/action")).Body);
        Assert.Equal(50, image.MinDiskGiB);
        Assert.Equal(FirmwareType.Bios, image.Firmware);
    }

    [Fact]
    public async Task ListGetDeleteImage_Images_UseCloudimagesAndGlanceDelete()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();
        CloudVolume volume = await (await harness.Provider.Volumes.StartCreateVolumeAsync(new VolumeSpec { Name = "sys", SizeGiB = 50, AvailabilityZone = HuaweiTestData.Zone })).WaitForValueAsync(HuaweiTestHarness.Poll);
        CloudImage image = await (await harness.Provider.Images.StartCreateImageFromVolumeAsync(volume.Id, "mine")).WaitForValueAsync(HuaweiTestHarness.Poll);

        // When
        IReadOnlyList<CloudImage> before = await harness.Provider.Images.ListImagesAsync();
        CloudImage got = await harness.Provider.Images.GetImageAsync(HuaweiFakeCloud.PublicImageId);
        await harness.Provider.Images.DeleteImageAsync(image.Id);
        IReadOnlyList<CloudImage> after = await harness.Provider.Images.ListImagesAsync();
        var missing = await Assert.ThrowsAsync<CloudRequestFailedException>(() => harness.Provider.Images.GetImageAsync(image.Id));

        // Then
        Assert.Equal(2, before.Count);
        Assert.Equal("CentOS 7.6 64bit", got.Name);
        Assert.Equal(40, got.MinDiskGiB);
        Assert.Single(harness.Fake.RequestsTo("ims", "DELETE", $"/v2/images/{image.Id}"));
        Assert.Equal(HuaweiFakeCloud.PublicImageId, Assert.Single(after).Id);
        Assert.Contains(harness.Fake.RequestsTo("ims", "GET", "/v2/cloudimages"), r => r.Query == "?limit=100");
        Assert.Equal(SmsErrorCode.ResourceNotFound, missing.ErrorCode);
    }
}
