namespace Sms.Cloud.Tests.Local;

public sealed class LocalComputeTests : LocalCloudTestBase
{
    [Fact]
    public async Task CreateServer_EmptyImageAndTwoDataDisks_VdaVdbVdcWithSparseFiles()
    {
        // When
        var server = await CreateServerAsync(await CreateNetworkAsync(), [1, 2], systemDiskGiB: 3);

        // Then
        Assert.Equal(["/dev/vda", "/dev/vdb", "/dev/vdc"], server.Volumes.Select(v => v.Device));
        var sizes = new List<long>();
        foreach (var attachment in server.Volumes)
        {
            var path = (await Cloud.Volumes.GetVolumeAsync(attachment.VolumeId)).LocalPath!;
            sizes.Add(new FileInfo(path).Length);
            Assert.True(AllocatedBytes(path) < MiB);
        }

        Assert.Equal([3 * GiB, 1 * GiB, 2 * GiB], sizes);
    }

    [Fact]
    public async Task CreateServer_ThreeInOneSubnet_DistinctAddressesInsideItSkippingTheGateway()
    {
        var network = await CreateNetworkAsync();

        var addresses = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            addresses.Add(Assert.Single((await CreateServerAsync(network, [])).Addresses));
        }

        Assert.Equal(["192.168.1.2", "192.168.1.3", "192.168.1.4"], addresses);
    }

    [Fact]
    public async Task LockedServer_StartStopDeleteAndDetach_RefusedWithAClearMessageButAttachAllowed()
    {
        // Given
        var server = await CreateServerAsync(await CreateNetworkAsync(), [1]);
        var extra = await CreateVolumeAsync(1);
        await Cloud.Compute.SetLockedAsync(server.Id, locked: true);

        // When / Then
        var stop = await AssertFailsAsync(SmsErrorCode.ResourceConflict, () => Cloud.Compute.StartStopServerAsync(server.Id));
        Assert.Equal("server.locked", stop.ProviderErrorCode);
        Assert.Contains("is locked", stop.Message, StringComparison.Ordinal);
        Assert.Contains("unlock it before you stop it", stop.Message, StringComparison.Ordinal);
        await AssertFailsAsync(SmsErrorCode.ResourceConflict, () => Cloud.Compute.StartStartServerAsync(server.Id));
        await AssertFailsAsync(SmsErrorCode.ResourceConflict, () => Cloud.Compute.StartDeleteServerAsync(server.Id, deleteVolumes: true));
        await AssertFailsAsync(SmsErrorCode.ResourceConflict, () => Cloud.Compute.StartDetachVolumeAsync(server.Id, server.Volumes[1].VolumeId));
        await CompleteAsync(await Cloud.Compute.StartAttachVolumeAsync(server.Id, extra.Id));
        Assert.Equal("/dev/vdc", (await Cloud.Compute.GetServerAsync(server.Id)).Volumes[^1].Device);

        await Cloud.Compute.SetLockedAsync(server.Id, locked: false);
        await CompleteAsync(await Cloud.Compute.StartDetachVolumeAsync(server.Id, extra.Id));
        await CompleteAsync(await Cloud.Compute.StartDeleteServerAsync(server.Id, deleteVolumes: true));
    }

    [Fact]
    public async Task StopServer_AlreadyStopped_Conflict()
    {
        var server = await CreateServerAsync(await CreateNetworkAsync(), []);
        await CompleteAsync(await Cloud.Compute.StartStopServerAsync(server.Id));

        await AssertFailsAsync(SmsErrorCode.ResourceConflict, () => Cloud.Compute.StartStopServerAsync(server.Id));
    }

    [Fact]
    public async Task DetachSystemDisk_RunningServer_ConflictUntilStopped()
    {
        var server = await CreateServerAsync(await CreateNetworkAsync(), []);
        var systemDisk = server.Volumes[0].VolumeId;

        await AssertFailsAsync(SmsErrorCode.ResourceConflict, () => Cloud.Compute.StartDetachVolumeAsync(server.Id, systemDisk));
        await CompleteAsync(await Cloud.Compute.StartStopServerAsync(server.Id));
        await CompleteAsync(await Cloud.Compute.StartDetachVolumeAsync(server.Id, systemDisk));
        await CompleteAsync(await Cloud.Compute.StartAttachVolumeAsync(server.Id, systemDisk, "/dev/vda"));

        Assert.Equal(new VolumeAttachment(systemDisk, "/dev/vda", 0), (await Cloud.Compute.GetServerAsync(server.Id)).Volumes[0]);
    }

    [Fact]
    public async Task AttachVolume_OtherZoneOrTakenDevice_Conflict()
    {
        var server = await CreateServerAsync(await CreateNetworkAsync(), [1]);
        var elsewhere = await CompleteAsync(await Cloud.Volumes.StartCreateVolumeAsync(new VolumeSpec { Name = "b", SizeGiB = 1, AvailabilityZone = "local-1b" }));
        var here = await CreateVolumeAsync(1);

        await AssertFailsAsync(SmsErrorCode.ResourceConflict, () => Cloud.Compute.StartAttachVolumeAsync(server.Id, elsewhere.Id));
        await AssertFailsAsync(SmsErrorCode.ResourceConflict, () => Cloud.Compute.StartAttachVolumeAsync(server.Id, here.Id, "/dev/vdb"));
        await AssertFailsAsync(SmsErrorCode.CloudRequestFailed, () => Cloud.Compute.StartAttachVolumeAsync(server.Id, here.Id, "/dev/sda"));
    }

    [Fact]
    public async Task CreateServer_UnknownFlavorOrSubnetOfAnotherVpc_TypedErrors()
    {
        var network = await CreateNetworkAsync();
        var otherVpc = await Cloud.Networks.CreateVpcAsync("other", "10.1.0.0/16");

        var flavor = await AssertFailsAsync(SmsErrorCode.ResourceNotFound, () => Cloud.Compute.StartCreateServerAsync(ServerSpecFor(network, []) with { FlavorId = "x9.huge" }));
        var subnet = await AssertFailsAsync(SmsErrorCode.CloudRequestFailed, () => Cloud.Compute.StartCreateServerAsync(ServerSpecFor(network, []) with { VpcId = otherVpc.Id }));
        await AssertFailsAsync(SmsErrorCode.ResourceNotFound, () => Cloud.Compute.StartCreateServerAsync(ServerSpecFor(network, []) with { ImageId = Guid.NewGuid().ToString() }));

        Assert.Equal((404, 400), (flavor.Status, subnet.Status));
        Assert.Empty(await ToListAsync(Cloud.Compute.ListServersAsync()));
    }

    [Fact]
    public async Task CreateServer_SameClientTokenForADifferentRequest_Conflict()
    {
        var network = await CreateNetworkAsync();
        await CreateServerAsync(network, [1], clientToken: "token-1");

        var error = await AssertFailsAsync(SmsErrorCode.ResourceConflict, () => Cloud.Compute.StartCreateServerAsync(ServerSpecFor(network, [2], clientToken: "token-1")));

        Assert.Equal("idempotency.mismatch", error.ProviderErrorCode);
    }

    [Fact]
    public async Task CreateServer_ImageFileMissing_OperationFailsAsCreateServerFailedAndLeavesNoFiles()
    {
        // Given: an image whose file was removed behind the cloud's back
        var source = Path.Combine(Temp.Path, "source.img");
        await File.WriteAllBytesAsync(source, Pattern(8192, 8));
        var image = await CompleteAsync(await Cloud.StartImportImageAsync(source, "img"));
        foreach (var file in Directory.GetFiles(Path.Combine(Temp.Path, "images")))
        {
            File.Delete(file);
        }

        // When
        var operation = await Cloud.Compute.StartCreateServerAsync(ServerSpecFor(await CreateNetworkAsync(), [1], image.Id));
        var error = await Assert.ThrowsAsync<CloudRequestFailedException>(() => CompleteAsync(operation));

        // Then
        Assert.Equal(SmsErrorCode.CreateServerFailed, error.ErrorCode);
        var server = Assert.Single(await ToListAsync(Cloud.Compute.ListServersAsync()));
        Assert.Equal(CloudResourceStatus.Error, server.Status);
        Assert.Empty(Directory.GetFiles(VolumesDirectory, "*.img*"));
        await CompleteAsync(await Cloud.Compute.StartDeleteServerAsync(server.Id, deleteVolumes: true));
        Assert.Empty(await ToListAsync(Cloud.Volumes.ListVolumesAsync()));
    }

    [Fact]
    public async Task ListFlavors_BuiltInList_SmallToTwoXLarge()
    {
        var flavors = await Cloud.Compute.ListFlavorsAsync(Zone);

        Assert.Contains(new CloudFlavor("s6.small.1", 1, 1024), flavors);
        Assert.Contains(new CloudFlavor("s6.2xlarge.2", 8, 16384), flavors);
        Assert.Empty(await Cloud.Compute.ListFlavorsAsync("mars-1a"));
    }
}
