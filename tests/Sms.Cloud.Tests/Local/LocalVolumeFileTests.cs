namespace Sms.Cloud.Tests.Local;

public sealed class LocalVolumeFileTests : LocalCloudTestBase
{
    [Fact]
    public async Task CreateVolume_TwoGiB_SparseRawFileOfExactSizeUnderVolumes()
    {
        // When
        var volume = await CreateVolumeAsync(2);

        // Then
        Assert.Equal(Path.Combine(VolumesDirectory, volume.Id + ".img"), volume.LocalPath);
        Assert.Equal(2 * GiB, new FileInfo(volume.LocalPath!).Length);
        Assert.True(AllocatedBytes(volume.LocalPath!) < MiB, "a new volume occupies no blocks");
    }

    [Fact]
    public async Task ExtendVolume_WrittenVolume_FileGrowsSparselyAndKeepsItsBytes()
    {
        // Given
        var volume = await CreateVolumeAsync(1);
        var data = Pattern(4096, 1);
        WriteAt(volume.LocalPath!, 1000 * MiB, data);

        // When
        await CompleteAsync(await Cloud.Volumes.StartExtendVolumeAsync(volume.Id, 3));

        // Then
        Assert.Equal(3 * GiB, new FileInfo(volume.LocalPath!).Length);
        Assert.Equal(data, ReadAt(volume.LocalPath!, 1000 * MiB, data.Length));
        Assert.True(AllocatedBytes(volume.LocalPath!) < MiB);
        Assert.Equal(3, (await Cloud.Volumes.GetVolumeAsync(volume.Id)).SizeGiB);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public async Task ExtendVolume_NotLarger_Refused400(int newSizeGiB)
    {
        var volume = await CreateVolumeAsync(1);

        var error = await AssertFailsAsync(SmsErrorCode.CloudRequestFailed, () => Cloud.Volumes.StartExtendVolumeAsync(volume.Id, newSizeGiB));

        Assert.Equal(400, error.Status);
        Assert.Equal(GiB, new FileInfo(volume.LocalPath!).Length);
    }

    [Fact]
    public async Task DeleteVolume_Attached_ConflictAndFileKept()
    {
        // Given
        var server = await CreateServerAsync(await CreateNetworkAsync(), [1]);
        var dataDisk = await Cloud.Volumes.GetVolumeAsync(server.Volumes[1].VolumeId);

        // When
        var error = await AssertFailsAsync(SmsErrorCode.ResourceConflict, () => Cloud.Volumes.StartDeleteVolumeAsync(dataDisk.Id));

        // Then
        Assert.Equal(409, error.Status);
        Assert.Contains("detach it first", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(dataDisk.LocalPath));
    }

    [Fact]
    public async Task DeleteVolume_WithSnapshot_ConflictUntilSnapshotDeleted()
    {
        // Given
        var volume = await CreateVolumeAsync(1);
        var snapshot = await CompleteAsync(await Cloud.Volumes.StartCreateSnapshotAsync(volume.Id, "snap"));

        // When / Then
        await AssertFailsAsync(SmsErrorCode.ResourceConflict, () => Cloud.Volumes.StartDeleteVolumeAsync(volume.Id));
        await CompleteAsync(await Cloud.Volumes.StartDeleteSnapshotAsync(snapshot.Id));
        await CompleteAsync(await Cloud.Volumes.StartDeleteVolumeAsync(volume.Id));
    }

    [Fact]
    public async Task DeleteVolume_Detached_FileAndReceiverBookkeepingRemoved()
    {
        // Given
        var volume = await CreateVolumeAsync(1);
        var bookkeeping = Path.Combine(VolumesDirectory, ".sms", volume.Id + ".json");
        Directory.CreateDirectory(Path.GetDirectoryName(bookkeeping)!);
        await File.WriteAllTextAsync(bookkeeping, "{}");

        // When
        await CompleteAsync(await Cloud.Volumes.StartDeleteVolumeAsync(volume.Id));

        // Then
        Assert.False(File.Exists(volume.LocalPath));
        Assert.False(File.Exists(bookkeeping));
    }

    [Fact]
    public async Task CreateVolume_UnknownZone_Refused400()
    {
        var error = await AssertFailsAsync(
            SmsErrorCode.CloudRequestFailed,
            () => Cloud.Volumes.StartCreateVolumeAsync(new VolumeSpec { Name = "v", SizeGiB = 1, AvailabilityZone = "mars-1a" }));

        Assert.Equal(400, error.Status);
        Assert.Empty(Directory.GetFiles(VolumesDirectory, "*.img"));
    }

    [Fact]
    public async Task CreateVolume_FromSnapshot_HoldsTheSnapshotsBytesAndIsLarger()
    {
        // Given
        var volume = await CreateVolumeAsync(1);
        var data = Pattern(8192, 2);
        WriteAt(volume.LocalPath!, 300 * MiB, data);
        var snapshot = await CompleteAsync(await Cloud.Volumes.StartCreateSnapshotAsync(volume.Id, "snap"));

        // When
        var copy = await CompleteAsync(await Cloud.Volumes.StartCreateVolumeAsync(new VolumeSpec { Name = "copy", SizeGiB = 2, AvailabilityZone = Zone, SnapshotId = snapshot.Id }));

        // Then
        Assert.Equal((2, CloudResourceStatus.Available), (copy.SizeGiB, copy.Status));
        Assert.Equal(2 * GiB, new FileInfo(copy.LocalPath!).Length);
        Assert.Equal(data, ReadAt(copy.LocalPath!, 300 * MiB, data.Length));
    }

    [Fact]
    public async Task CreateVolume_FromSnapshotSmallerThanIt_Refused400()
    {
        var volume = await CreateVolumeAsync(2);
        var snapshot = await CompleteAsync(await Cloud.Volumes.StartCreateSnapshotAsync(volume.Id, "snap"));

        var error = await AssertFailsAsync(
            SmsErrorCode.CloudRequestFailed,
            () => Cloud.Volumes.StartCreateVolumeAsync(new VolumeSpec { Name = "copy", SizeGiB = 1, AvailabilityZone = Zone, SnapshotId = snapshot.Id }));

        Assert.Equal(400, error.Status);
    }
}
