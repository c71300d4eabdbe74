using Sms.Cloud.Local;

namespace Sms.Cloud.Tests.Local;

public sealed class LocalQuotaTests : LocalCloudTestBase
{
    [Fact]
    public async Task CreateVolume_EightTasksOnEachOfTwoInstances_ExactlyTheQuotaSucceedsAndTheRestAreQuotaErrors()
    {
        // Given: two provider instances on one directory, quota 5 volumes, 16 concurrent creations
        const int quota = 5;
        await using var first = await OpenAsync(new LocalCloudOptions { MaxVolumes = quota });
        await using var second = await OpenAsync();
        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            start.Wait();
            var cloud = i % 2 == 0 ? first : second;
            return await cloud.Volumes.StartCreateVolumeAsync(new VolumeSpec { Name = $"v{i}", SizeGiB = 1, AvailabilityZone = Zone });
        })).ToList();

        // When
        start.Set();
        var outcomes = new List<Exception?>();
        foreach (var attempt in attempts)
        {
            try
            {
                await CompleteAsync(await attempt);
                outcomes.Add(null);
            }
            catch (CloudRequestFailedException ex)
            {
                outcomes.Add(ex);
            }
        }

        // Then
        Assert.Equal(quota, outcomes.Count(o => o is null));
        Assert.All(outcomes.OfType<CloudRequestFailedException>(), ex =>
        {
            Assert.Equal(SmsErrorCode.QuotaExceeded, ex.ErrorCode);
            Assert.Equal("quota.exceeded", ex.ProviderErrorCode);
            Assert.Equal(403, ex.Status);
            Assert.NotNull(ex.RequestId);
        });
        Assert.Equal(quota, (await ToListAsync(first.Volumes.ListVolumesAsync())).Count);
        Assert.Equal(quota, Directory.GetFiles(VolumesDirectory, "*.img").Length);
        Assert.Empty(Directory.GetFiles(VolumesDirectory, "*.partial"));
    }

    [Fact]
    public async Task CreateVolume_ConcurrentAgainstAGiBQuota_TotalNeverExceedsIt()
    {
        // Given: 10 GiB in all, 12 concurrent 3 GiB volumes on two instances
        await using var first = await OpenAsync(new LocalCloudOptions { MaxVolumeGiB = 10 });
        await using var second = await OpenAsync();
        var attempts = Enumerable.Range(0, 12).Select(i => Task.Run(async () =>
        {
            try
            {
                var cloud = i % 2 == 0 ? first : second;
                await CompleteAsync(await cloud.Volumes.StartCreateVolumeAsync(new VolumeSpec { Name = $"v{i}", SizeGiB = 3, AvailabilityZone = Zone }));
                return true;
            }
            catch (CloudRequestFailedException ex) when (ex.ErrorCode == SmsErrorCode.QuotaExceeded)
            {
                return false;
            }
        }));

        // When
        var results = await Task.WhenAll(attempts);

        // Then
        Assert.Equal(3, results.Count(r => r));
        Assert.Equal(9, (await ToListAsync(second.Volumes.ListVolumesAsync())).Sum(v => v.SizeGiB));
        var someVolume = (await ToListAsync(first.Volumes.ListVolumesAsync()))[0];
        var error = await AssertFailsAsync(SmsErrorCode.QuotaExceeded, () => first.Volumes.StartExtendVolumeAsync(someVolume.Id, 5));
        Assert.Contains("MaxVolumeGiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateServer_DisksOverTheVolumeQuota_RefusedWithoutLeavingAnything()
    {
        // Given
        await using var cloud = await OpenAsync(new LocalCloudOptions { MaxVolumes = 2 });
        var network = await CreateNetworkAsync(cloud);

        // When
        var error = await AssertFailsAsync(SmsErrorCode.QuotaExceeded, () => cloud.Compute.StartCreateServerAsync(ServerSpecFor(network, [1, 1])));

        // Then
        Assert.Equal("quota.exceeded", error.ProviderErrorCode);
        Assert.Empty(await ToListAsync(cloud.Compute.ListServersAsync()));
        Assert.Empty(await ToListAsync(cloud.Volumes.ListVolumesAsync()));
        Assert.Empty(Directory.GetFiles(VolumesDirectory, "*.img"));
    }

    [Fact]
    public async Task CreateServer_OverTheServerQuota_QuotaExceeded()
    {
        await using var cloud = await OpenAsync(new LocalCloudOptions { MaxServers = 1 });
        var network = await CreateNetworkAsync(cloud);
        await CompleteAsync(await cloud.Compute.StartCreateServerAsync(ServerSpecFor(network, [])));

        await AssertFailsAsync(SmsErrorCode.QuotaExceeded, () => cloud.Compute.StartCreateServerAsync(ServerSpecFor(network, [])));

        Assert.Single(await ToListAsync(cloud.Compute.ListServersAsync()));
    }

    [Fact]
    public async Task CreateSnapshot_OverTheSnapshotQuota_QuotaExceeded()
    {
        await using var cloud = await OpenAsync(new LocalCloudOptions { MaxSnapshots = 1 });
        var volume = await CreateVolumeAsync(1, cloud);
        await CompleteAsync(await cloud.Volumes.StartCreateSnapshotAsync(volume.Id, "one"));

        await AssertFailsAsync(SmsErrorCode.QuotaExceeded, () => cloud.Volumes.StartCreateSnapshotAsync(volume.Id, "two"));
    }

    [Fact]
    public async Task Open_WithoutQuotaOptions_KeepsTheQuotasStoredInTheDirectory()
    {
        // Given
        await using (var configured = await OpenAsync(new LocalCloudOptions { MaxVolumes = 1 }))
        {
            await CreateVolumeAsync(1, configured);
        }

        // When
        await using var reopened = await OpenAsync();

        // Then
        await AssertFailsAsync(SmsErrorCode.QuotaExceeded, () => reopened.Volumes.StartCreateVolumeAsync(new VolumeSpec { Name = "v", SizeGiB = 1, AvailabilityZone = Zone }));
    }

    [Fact]
    public async Task Open_NegativeQuota_ArgumentOutOfRange()
        => await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => OpenAsync(new LocalCloudOptions { MaxVolumes = -1 }));
}
