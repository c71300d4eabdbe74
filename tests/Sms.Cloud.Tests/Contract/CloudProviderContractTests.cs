using System.Diagnostics;

namespace Sms.Cloud.Tests.Contract;

/// <summary>
/// What every <see cref="ICloudProvider"/> must do, whatever cloud is behind it. Derive once per provider, implement
/// <see cref="CreateProviderAsync"/> (a fresh, empty cloud per test) and the zone and image to create servers with;
/// providers whose operations progress with a fake clock override <see cref="OnOperationPendingAsync"/> to advance it.
/// Nothing here looks at files or provider internals.
/// </summary>
public abstract class CloudProviderContractTests : IAsyncLifetime
{
    private static readonly int[] MigrationPorts = [22, 8899, 8900];

    /// <summary>The provider under test, created before each test.</summary>
    protected ICloudProvider Provider { get; private set; } = null!;

    /// <summary>The availability zone servers and volumes are created in.</summary>
    protected abstract string AvailabilityZone { get; }

    /// <summary>The image servers are created from.</summary>
    protected abstract string ServerImageId { get; }

    /// <summary>The system disk size servers are created with.</summary>
    protected virtual int SystemDiskGiB => 40;

    /// <summary>How long a test waits for one operation, in real time.</summary>
    protected virtual TimeSpan OperationTimeout => TimeSpan.FromSeconds(60);

    /// <summary>Creates the provider under test, on an empty cloud.</summary>
    /// <returns>The provider.</returns>
    protected abstract Task<ICloudProvider> CreateProviderAsync();

    /// <summary>
    /// Called while an operation is still running, between two polls. The default waits 20 ms; a provider whose jobs
    /// progress with a fake clock advances it here instead.
    /// </summary>
    /// <param name="operation">The pending operation.</param>
    /// <returns>A task that completes when it is worth polling again.</returns>
    protected virtual Task OnOperationPendingAsync(CloudOperation operation) => Task.Delay(20);

    /// <summary>Releases the provider after each test (disposes it when it is disposable).</summary>
    /// <param name="provider">The provider.</param>
    /// <returns>A task.</returns>
    protected virtual async Task DisposeProviderAsync(ICloudProvider provider)
    {
        if (provider is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    /// <summary>The flavor servers are created with: the smallest one listed in the zone.</summary>
    /// <returns>The flavor id.</returns>
    protected virtual async Task<string> GetFlavorIdAsync()
    {
        var flavors = await Provider.Compute.ListFlavorsAsync(AvailabilityZone);
        return flavors.OrderBy(f => f.Vcpus).ThenBy(f => f.MemoryMiB).First().Id;
    }

    /// <inheritdoc/>
    public async Task InitializeAsync() => Provider = await CreateProviderAsync();

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (Provider is not null)
        {
            await DisposeProviderAsync(Provider);
        }
    }

    [Fact]
    public async Task ListFlavors_InTheZone_ListsSome()
    {
        // When
        var flavors = await Provider.Compute.ListFlavorsAsync(AvailabilityZone);

        // Then
        Assert.NotEmpty(flavors);
        Assert.All(flavors, f => Assert.True(f.Vcpus > 0 && f.MemoryMiB > 0, f.Id));
    }

    [Fact]
    public async Task CreateNetwork_VpcSubnetAndGroupWithMigrationPorts_AllListed()
    {
        // Given / When
        var network = await CreateNetworkAsync();

        // Then
        Assert.Contains(await Provider.Networks.ListVpcsAsync(), v => v.Id == network.Vpc.Id && v.Cidr == "10.20.0.0/16");
        var subnet = Assert.Single(await Provider.Networks.ListSubnetsAsync(network.Vpc.Id), s => s.Id == network.Subnet.Id);
        Assert.Equal(("10.20.1.0/24", "10.20.1.1", network.Vpc.Id), (subnet.Cidr, subnet.GatewayIp, subnet.VpcId));
        var group = Assert.Single(await Provider.Networks.ListSecurityGroupsAsync(), g => g.Id == network.SecurityGroup.Id);
        foreach (var port in MigrationPorts)
        {
            Assert.Contains(group.Rules, r => r.Direction == "ingress" && r.Protocol == "tcp" && r.PortMin == port && r.PortMax == port && r.RemoteCidr == "192.0.2.10/32");
        }
    }

    [Fact]
    public async Task DeleteNetwork_SubnetGroupThenVpc_AllGone()
    {
        // Given
        var network = await CreateNetworkAsync();

        // When
        await Provider.Networks.DeleteSecurityGroupAsync(network.SecurityGroup.Id);
        await Provider.Networks.DeleteSubnetAsync(network.Vpc.Id, network.Subnet.Id);
        await Provider.Networks.DeleteVpcAsync(network.Vpc.Id);

        // Then
        Assert.DoesNotContain(await Provider.Networks.ListVpcsAsync(), v => v.Id == network.Vpc.Id);
        Assert.DoesNotContain(await Provider.Networks.ListSecurityGroupsAsync(), g => g.Id == network.SecurityGroup.Id);
    }

    [Fact]
    public async Task CreateServer_WithTwoDataDisks_ActiveWithSystemDiskFirstAndDataDisksInOrder()
    {
        // Given
        var network = await CreateNetworkAsync();

        // When
        var server = await CreateServerAsync(network, [2, 3], metadata: new Dictionary<string, string> { ["sms.task"] = "t-1" });

        // Then
        Assert.Equal(CloudResourceStatus.Active, server.Status);
        Assert.Equal(3, server.Volumes.Count);
        Assert.Equal(0, server.Volumes[0].BootIndex);
        Assert.All(server.Volumes.Skip(1), v => Assert.Null(v.BootIndex));
        var sizes = new List<int>();
        foreach (var attachment in server.Volumes)
        {
            var volume = await Provider.Volumes.GetVolumeAsync(attachment.VolumeId);
            Assert.Equal(server.Id, volume.AttachedTo);
            Assert.Equal(CloudResourceStatus.InUse, volume.Status);
            sizes.Add(volume.SizeGiB);
        }

        Assert.Equal(new[] { SystemDiskGiB, 2, 3 }, sizes);
        Assert.Equal(server.Volumes.Skip(1).Select(v => v.Device).Order(StringComparer.Ordinal), server.Volumes.Skip(1).Select(v => v.Device));
        var read = await Provider.Compute.GetServerAsync(server.Id);
        Assert.Equal(server.Volumes, read.Volumes);
        Assert.Equal("t-1", read.Metadata["sms.task"]);
        Assert.NotEmpty(read.Addresses);
        Assert.Contains(await ToListAsync(Provider.Compute.ListServersAsync()), s => s.Id == server.Id);
        var listed = await ToListAsync(Provider.Volumes.ListVolumesAsync());
        Assert.All(server.Volumes, a => Assert.Contains(listed, v => v.Id == a.VolumeId && v.AttachedTo == server.Id));
    }

    [Fact]
    public async Task StopThenStart_ActiveServer_ShutoffThenActive()
    {
        // Given
        var server = await CreateServerAsync(await CreateNetworkAsync(), []);

        // When / Then
        await CompleteAsync(await Provider.Compute.StartStopServerAsync(server.Id));
        Assert.Equal(CloudResourceStatus.Shutoff, (await Provider.Compute.GetServerAsync(server.Id)).Status);
        await CompleteAsync(await Provider.Compute.StartStartServerAsync(server.Id));
        Assert.Equal(CloudResourceStatus.Active, (await Provider.Compute.GetServerAsync(server.Id)).Status);
    }

    [Fact]
    public async Task SetLocked_LockedServer_StopRefusedWithConflictUntilUnlocked()
    {
        // Given
        var server = await CreateServerAsync(await CreateNetworkAsync(), []);

        // When
        await Provider.Compute.SetLockedAsync(server.Id, locked: true);

        // Then
        Assert.True((await Provider.Compute.GetServerAsync(server.Id)).Locked);
        var refused = await Assert.ThrowsAsync<CloudRequestFailedException>(async () => await CompleteAsync(await Provider.Compute.StartStopServerAsync(server.Id)));
        Assert.Equal(SmsErrorCode.ResourceConflict, refused.ErrorCode);
        Assert.Equal(CloudResourceStatus.Active, (await Provider.Compute.GetServerAsync(server.Id)).Status);

        await Provider.Compute.SetLockedAsync(server.Id, locked: false);
        Assert.False((await Provider.Compute.GetServerAsync(server.Id)).Locked);
        await CompleteAsync(await Provider.Compute.StartStopServerAsync(server.Id));
        Assert.Equal(CloudResourceStatus.Shutoff, (await Provider.Compute.GetServerAsync(server.Id)).Status);
    }

    [Fact]
    public async Task Volume_CreateExtendDelete_SizesFollowAndDeletedIsNotFound()
    {
        // Given
        var volume = await CreateVolumeAsync(1);
        Assert.Equal((1, CloudResourceStatus.Available), (volume.SizeGiB, volume.Status));
        Assert.Null(volume.AttachedTo);

        // When
        await CompleteAsync(await Provider.Volumes.StartExtendVolumeAsync(volume.Id, 2));

        // Then
        Assert.Equal(2, (await Provider.Volumes.GetVolumeAsync(volume.Id)).SizeGiB);
        await CompleteAsync(await Provider.Volumes.StartDeleteVolumeAsync(volume.Id));
        await AssertNotFoundAsync(() => Provider.Volumes.GetVolumeAsync(volume.Id));
        Assert.DoesNotContain(await ToListAsync(Provider.Volumes.ListVolumesAsync()), v => v.Id == volume.Id);
    }

    [Fact]
    public async Task AttachThenDetach_Volume_InUseOnServerThenAvailable()
    {
        // Given
        var server = await CreateServerAsync(await CreateNetworkAsync(), []);
        var volume = await CreateVolumeAsync(1);

        // When
        await CompleteAsync(await Provider.Compute.StartAttachVolumeAsync(server.Id, volume.Id));

        // Then
        var attached = await Provider.Volumes.GetVolumeAsync(volume.Id);
        Assert.Equal((server.Id, CloudResourceStatus.InUse), (attached.AttachedTo, attached.Status));
        var withVolume = await Provider.Compute.GetServerAsync(server.Id);
        Assert.Equal(volume.Id, withVolume.Volumes[^1].VolumeId);

        await CompleteAsync(await Provider.Compute.StartDetachVolumeAsync(server.Id, volume.Id));
        var detached = await Provider.Volumes.GetVolumeAsync(volume.Id);
        Assert.Equal((null, CloudResourceStatus.Available), (detached.AttachedTo, detached.Status));
        Assert.DoesNotContain((await Provider.Compute.GetServerAsync(server.Id)).Volumes, v => v.VolumeId == volume.Id);
    }

    [Fact]
    public async Task DeleteServer_WithVolumes_ServerAndItsVolumesNotFound()
    {
        // Given
        var server = await CreateServerAsync(await CreateNetworkAsync(), [1]);

        // When
        await CompleteAsync(await Provider.Compute.StartDeleteServerAsync(server.Id, deleteVolumes: true));

        // Then
        await AssertNotFoundAsync(() => Provider.Compute.GetServerAsync(server.Id));
        foreach (var attachment in server.Volumes)
        {
            await AssertNotFoundAsync(() => Provider.Volumes.GetVolumeAsync(attachment.VolumeId));
        }
    }

    [Fact]
    public async Task DeleteServer_KeepingVolumes_VolumesStayAvailable()
    {
        // Given
        var server = await CreateServerAsync(await CreateNetworkAsync(), [1]);
        await CompleteAsync(await Provider.Compute.StartStopServerAsync(server.Id));

        // When
        await CompleteAsync(await Provider.Compute.StartDeleteServerAsync(server.Id, deleteVolumes: false));

        // Then
        await AssertNotFoundAsync(() => Provider.Compute.GetServerAsync(server.Id));
        var dataDisk = await Provider.Volumes.GetVolumeAsync(server.Volumes[1].VolumeId);
        Assert.Equal((null, CloudResourceStatus.Available), (dataDisk.AttachedTo, dataDisk.Status));
    }

    [Fact]
    public async Task Snapshot_CreateListDelete_ListedForItsVolumeThenNotFound()
    {
        // Given
        var volume = await CreateVolumeAsync(1);

        // When
        var snapshot = await CompleteAsync(await Provider.Volumes.StartCreateSnapshotAsync(volume.Id, "snap-" + Unique()));

        // Then
        Assert.Equal((volume.Id, CloudResourceStatus.Available), (snapshot.VolumeId, snapshot.Status));
        Assert.Equal(snapshot.Id, (await Provider.Volumes.GetSnapshotAsync(snapshot.Id)).Id);
        Assert.Contains(await ToListAsync(Provider.Volumes.ListSnapshotsAsync(volume.Id)), s => s.Id == snapshot.Id);
        Assert.Contains(await ToListAsync(Provider.Volumes.ListSnapshotsAsync()), s => s.Id == snapshot.Id);

        await CompleteAsync(await Provider.Volumes.StartDeleteSnapshotAsync(snapshot.Id));
        await AssertNotFoundAsync(() => Provider.Volumes.GetSnapshotAsync(snapshot.Id));
        Assert.DoesNotContain(await ToListAsync(Provider.Volumes.ListSnapshotsAsync(volume.Id)), s => s.Id == snapshot.Id);
    }

    [Fact]
    public async Task RollbackSnapshot_DetachedVolume_CompletesAndVolumeIsAvailable()
    {
        // Given
        var volume = await CreateVolumeAsync(1);
        var snapshot = await CompleteAsync(await Provider.Volumes.StartCreateSnapshotAsync(volume.Id, "snap-" + Unique()));

        // When
        await CompleteAsync(await Provider.Volumes.StartRollbackSnapshotAsync(snapshot.Id, volume.Id));

        // Then
        var rolledBack = await Provider.Volumes.GetVolumeAsync(volume.Id);
        Assert.Equal((CloudResourceStatus.Available, 1), (rolledBack.Status, rolledBack.SizeGiB));
        Assert.Equal(CloudResourceStatus.Available, (await Provider.Volumes.GetSnapshotAsync(snapshot.Id)).Status);
    }

    [Fact]
    public async Task CreateImageFromServer_StoppedServer_ActiveImageANewServerBootsFrom()
    {
        // Given
        var network = await CreateNetworkAsync();
        var server = await CreateServerAsync(network, []);
        await CompleteAsync(await Provider.Compute.StartStopServerAsync(server.Id));

        // When
        var image = await CompleteAsync(await Provider.Images.StartCreateImageFromServerAsync(server.Id, "img-" + Unique()));

        // Then
        Assert.Equal(CloudResourceStatus.Active, image.Status);
        Assert.Contains(await Provider.Images.ListImagesAsync(), i => i.Id == image.Id);
        var fromImage = await CreateServerAsync(network, [], imageId: image.Id);
        Assert.Equal(CloudResourceStatus.Active, fromImage.Status);
    }

    [Fact]
    public async Task CreateImageFromVolume_AvailableVolume_ActiveImageThenDeleted()
    {
        // Given
        var volume = await CreateVolumeAsync(1);

        // When
        var image = await CompleteAsync(await Provider.Images.StartCreateImageFromVolumeAsync(volume.Id, "img-" + Unique()));

        // Then
        Assert.Equal(CloudResourceStatus.Active, image.Status);
        Assert.Equal(image.Id, (await Provider.Images.GetImageAsync(image.Id)).Id);
        await Provider.Images.DeleteImageAsync(image.Id);
        await AssertNotFoundAsync(() => Provider.Images.GetImageAsync(image.Id));
    }

    [Fact]
    public async Task CreateVolume_SameClientTokenTwice_SameVolumeAndNoDuplicate()
    {
        // Given
        var spec = new VolumeSpec { Name = "vol-" + Unique(), SizeGiB = 1, AvailabilityZone = AvailabilityZone, ClientToken = Guid.NewGuid().ToString() };

        // When
        var first = await CompleteAsync(await Provider.Volumes.StartCreateVolumeAsync(spec));
        var second = await CompleteAsync(await Provider.Volumes.StartCreateVolumeAsync(spec));

        // Then
        Assert.Equal(first.Id, second.Id);
        Assert.Single(await ToListAsync(Provider.Volumes.ListVolumesAsync()), v => v.Name == spec.Name);
    }

    [Fact]
    public async Task CreateServer_SameClientTokenTwice_SameServerAndNoDuplicate()
    {
        // Given
        var network = await CreateNetworkAsync();
        var token = Guid.NewGuid().ToString();

        // When
        var first = await CreateServerAsync(network, [1], clientToken: token, name: "twice");
        var second = await CreateServerAsync(network, [1], clientToken: token, name: "twice");

        // Then
        Assert.Equal(first.Id, second.Id);
        Assert.Single(await ToListAsync(Provider.Compute.ListServersAsync()), s => s.Name == "twice");
        Assert.Equal(2, (await ToListAsync(Provider.Volumes.ListVolumesAsync())).Count(v => v.AttachedTo == first.Id));
    }

    [Fact]
    public async Task ResumeOperation_ById_SameOperationCompletesWithSameEntities()
    {
        // Given
        var started = await Provider.Volumes.StartCreateVolumeAsync(new VolumeSpec { Name = "vol-" + Unique(), SizeGiB = 1, AvailabilityZone = AvailabilityZone });
        var volume = await CompleteAsync(started);

        // When
        var resumed = await Provider.ResumeOperationAsync(started.Id);
        await CompleteAsync(resumed);

        // Then
        Assert.Equal(started.Id, resumed.Id);
        Assert.True(resumed.HasCompleted);
        Assert.Equal(started.Entities, resumed.Entities);
        Assert.Contains(volume.Id, resumed.Entities.Values);
    }

    [Fact]
    public async Task Get_UnknownIds_ResourceNotFoundWith404()
    {
        var unknown = Guid.NewGuid().ToString();
        await AssertNotFoundAsync(() => Provider.Compute.GetServerAsync(unknown));
        await AssertNotFoundAsync(() => Provider.Volumes.GetVolumeAsync(unknown));
        await AssertNotFoundAsync(() => Provider.Volumes.GetSnapshotAsync(unknown));
        await AssertNotFoundAsync(() => Provider.Images.GetImageAsync(unknown));
        await AssertNotFoundAsync(async () => await CompleteAsync(await Provider.Volumes.StartDeleteVolumeAsync(unknown)));
        await AssertNotFoundAsync(async () => await CompleteAsync(await Provider.Compute.StartStopServerAsync(unknown)));
        await AssertNotFoundAsync(() => Provider.ResumeOperationAsync(Guid.NewGuid().ToString("N")));
    }

    /// <summary>Creates a VPC 10.20.0.0/16, a subnet 10.20.1.0/24 and a group opening 22, 8899 and 8900 to one source address.</summary>
    /// <returns>The network.</returns>
    protected async Task<ContractNetwork> CreateNetworkAsync()
    {
        var suffix = Unique();
        var vpc = await Provider.Networks.CreateVpcAsync("vpc-" + suffix, "10.20.0.0/16");
        var subnet = await Provider.Networks.CreateSubnetAsync(vpc.Id, "subnet-" + suffix, "10.20.1.0/24", "10.20.1.1");
        var group = await Provider.Networks.CreateSecurityGroupAsync("sg-" + suffix, vpc.Id);
        foreach (var port in MigrationPorts)
        {
            await Provider.Networks.AddSecurityGroupRuleAsync(group.Id, new SecurityGroupRule("ingress", "tcp", port, port, "192.0.2.10/32"));
        }

        return new ContractNetwork(vpc, subnet, group);
    }

    /// <summary>Creates a server and waits until it is ready.</summary>
    /// <returns>The server.</returns>
    protected async Task<CloudServer> CreateServerAsync(
        ContractNetwork network,
        IReadOnlyList<int> dataDiskGiB,
        string? imageId = null,
        string? clientToken = null,
        string? name = null,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var spec = new ServerSpec
        {
            Name = name ?? "srv-" + Unique(),
            FlavorId = await GetFlavorIdAsync(),
            ImageId = imageId ?? ServerImageId,
            AvailabilityZone = AvailabilityZone,
            VpcId = network.Vpc.Id,
            SubnetId = network.Subnet.Id,
            SecurityGroupIds = [network.SecurityGroup.Id],
            SystemDiskGiB = SystemDiskGiB,
            DataDiskGiB = dataDiskGiB,
            Metadata = metadata ?? new Dictionary<string, string>(),
            ClientToken = clientToken,
        };
        return await CompleteAsync(await Provider.Compute.StartCreateServerAsync(spec));
    }

    /// <summary>Creates an empty volume and waits until it is ready.</summary>
    /// <returns>The volume.</returns>
    protected async Task<CloudVolume> CreateVolumeAsync(int sizeGiB)
        => await CompleteAsync(await Provider.Volumes.StartCreateVolumeAsync(new VolumeSpec { Name = "vol-" + Unique(), SizeGiB = sizeGiB, AvailabilityZone = AvailabilityZone }));

    /// <summary>Polls an operation until it completes (a failure throws), calling <see cref="OnOperationPendingAsync"/> between polls.</summary>
    /// <returns>A task.</returns>
    protected async Task CompleteAsync(CloudOperation operation)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            await operation.UpdateStatusAsync();
            if (operation.HasCompleted)
            {
                return;
            }

            Assert.True(watch.Elapsed < OperationTimeout, $"Operation {operation.Id} did not complete within {OperationTimeout}.");
            await OnOperationPendingAsync(operation);
        }
    }

    /// <summary>Polls an operation until it completes and returns its value.</summary>
    /// <returns>The value.</returns>
    protected async Task<T> CompleteAsync<T>(CloudOperation<T> operation)
        where T : class
    {
        await CompleteAsync((CloudOperation)operation);
        return operation.Value;
    }

    /// <summary>Asserts that a call fails with <see cref="SmsErrorCode.ResourceNotFound"/> and status 404.</summary>
    /// <returns>A task.</returns>
    protected static async Task AssertNotFoundAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<CloudRequestFailedException>(call);
        Assert.Equal(SmsErrorCode.ResourceNotFound, error.ErrorCode);
        Assert.Equal(404, error.Status);
    }

    /// <summary>Collects an asynchronous sequence.</summary>
    /// <returns>The items.</returns>
    protected static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    /// <summary>A short unique suffix for names.</summary>
    /// <returns>8 hex digits.</returns>
    protected static string Unique() => Guid.NewGuid().ToString("N")[..8];

    /// <summary>A network made by <see cref="CreateNetworkAsync"/>.</summary>
    /// <param name="Vpc">The VPC.</param>
    /// <param name="Subnet">The subnet.</param>
    /// <param name="SecurityGroup">The security group.</param>
    protected sealed record ContractNetwork(CloudVpc Vpc, CloudSubnet Subnet, CloudSecurityGroup SecurityGroup);
}
