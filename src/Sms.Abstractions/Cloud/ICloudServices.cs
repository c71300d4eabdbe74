namespace Sms.Cloud;

/// <summary>Servers (ECS).</summary>
public interface IComputeService
{
    /// <summary>Lists the flavors a server can be created with.</summary>
    /// <param name="availabilityZone">The zone, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The flavors.</returns>
    Task<IReadOnlyList<CloudFlavor>> ListFlavorsAsync(string? availabilityZone = null, CancellationToken cancellationToken = default);

    /// <summary>Starts creating a server with its disks.</summary>
    /// <param name="spec">What to create.</param>
    /// <param name="cancellationToken">Cancels the request (not the creation once accepted).</param>
    /// <returns>The operation; its value is the server.</returns>
    Task<CloudOperation<CloudServer>> StartCreateServerAsync(ServerSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Reads a server.</summary>
    /// <param name="serverId">The id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The server.</returns>
    Task<CloudServer> GetServerAsync(string serverId, CancellationToken cancellationToken = default);

    /// <summary>Lists servers.</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The servers.</returns>
    IAsyncEnumerable<CloudServer> ListServersAsync(CancellationToken cancellationToken = default);

    /// <summary>Starts deleting a server.</summary>
    /// <param name="serverId">The id.</param>
    /// <param name="deleteVolumes">Whether to delete its volumes too.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The operation.</returns>
    Task<CloudOperation> StartDeleteServerAsync(string serverId, bool deleteVolumes, CancellationToken cancellationToken = default);

    /// <summary>Starts a stopped server.</summary>
    /// <param name="serverId">The id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The operation.</returns>
    Task<CloudOperation> StartStartServerAsync(string serverId, CancellationToken cancellationToken = default);

    /// <summary>Stops a running server.</summary>
    /// <param name="serverId">The id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The operation.</returns>
    Task<CloudOperation> StartStopServerAsync(string serverId, CancellationToken cancellationToken = default);

    /// <summary>Starts attaching a volume.</summary>
    /// <param name="serverId">The server.</param>
    /// <param name="volumeId">The volume.</param>
    /// <param name="device">The device name, or <see langword="null"/> for the next free one.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The operation.</returns>
    Task<CloudOperation> StartAttachVolumeAsync(string serverId, string volumeId, string? device = null, CancellationToken cancellationToken = default);

    /// <summary>Starts detaching a volume.</summary>
    /// <param name="serverId">The server.</param>
    /// <param name="volumeId">The volume.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The operation.</returns>
    Task<CloudOperation> StartDetachVolumeAsync(string serverId, string volumeId, CancellationToken cancellationToken = default);

    /// <summary>Locks or unlocks a server against user operations (start, stop, delete, detach) during a migration.</summary>
    /// <param name="serverId">The server.</param>
    /// <param name="locked">Lock or unlock.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task.</returns>
    Task SetLockedAsync(string serverId, bool locked, CancellationToken cancellationToken = default);
}

/// <summary>Volumes and snapshots (EVS).</summary>
public interface IVolumeService
{
    /// <summary>Starts creating a volume.</summary>
    /// <param name="spec">What to create.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The operation; its value is the volume.</returns>
    Task<CloudOperation<CloudVolume>> StartCreateVolumeAsync(VolumeSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Reads a volume.</summary>
    /// <param name="volumeId">The id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The volume.</returns>
    Task<CloudVolume> GetVolumeAsync(string volumeId, CancellationToken cancellationToken = default);

    /// <summary>Lists volumes.</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The volumes.</returns>
    IAsyncEnumerable<CloudVolume> ListVolumesAsync(CancellationToken cancellationToken = default);

    /// <summary>Starts growing a volume.</summary>
    /// <param name="volumeId">The id.</param>
    /// <param name="newSizeGiB">The new size; larger than the current one.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The operation.</returns>
    Task<CloudOperation> StartExtendVolumeAsync(string volumeId, int newSizeGiB, CancellationToken cancellationToken = default);

    /// <summary>Starts deleting a volume (it must not be attached).</summary>
    /// <param name="volumeId">The id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The operation.</returns>
    Task<CloudOperation> StartDeleteVolumeAsync(string volumeId, CancellationToken cancellationToken = default);

    /// <summary>Starts a snapshot of a volume (attached volumes included).</summary>
    /// <param name="volumeId">The volume.</param>
    /// <param name="name">The snapshot name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The operation; its value is the snapshot.</returns>
    Task<CloudOperation<CloudSnapshot>> StartCreateSnapshotAsync(string volumeId, string name, CancellationToken cancellationToken = default);

    /// <summary>Reads a snapshot.</summary>
    /// <param name="snapshotId">The id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The snapshot.</returns>
    Task<CloudSnapshot> GetSnapshotAsync(string snapshotId, CancellationToken cancellationToken = default);

    /// <summary>Lists snapshots, of one volume or all.</summary>
    /// <param name="volumeId">The volume, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The snapshots.</returns>
    IAsyncEnumerable<CloudSnapshot> ListSnapshotsAsync(string? volumeId = null, CancellationToken cancellationToken = default);

    /// <summary>Starts deleting a snapshot.</summary>
    /// <param name="snapshotId">The id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The operation.</returns>
    Task<CloudOperation> StartDeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken = default);

    /// <summary>Starts rolling a volume back to a snapshot of it.</summary>
    /// <param name="snapshotId">The snapshot.</param>
    /// <param name="volumeId">The volume (the one it was taken of).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The operation.</returns>
    Task<CloudOperation> StartRollbackSnapshotAsync(string snapshotId, string volumeId, CancellationToken cancellationToken = default);
}

/// <summary>VPCs, subnets and security groups.</summary>
public interface INetworkService
{
    /// <summary>Creates a VPC.</summary>
    /// <param name="name">The name.</param>
    /// <param name="cidr">The address range.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The VPC.</returns>
    Task<CloudVpc> CreateVpcAsync(string name, string cidr, CancellationToken cancellationToken = default);

    /// <summary>Lists VPCs.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The VPCs.</returns>
    Task<IReadOnlyList<CloudVpc>> ListVpcsAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes a VPC (it must be empty).</summary>
    /// <param name="vpcId">The id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task.</returns>
    Task DeleteVpcAsync(string vpcId, CancellationToken cancellationToken = default);

    /// <summary>Creates a subnet.</summary>
    /// <param name="vpcId">The VPC.</param>
    /// <param name="name">The name.</param>
    /// <param name="cidr">The range, inside the VPC's.</param>
    /// <param name="gatewayIp">The gateway, inside the subnet.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The subnet.</returns>
    Task<CloudSubnet> CreateSubnetAsync(string vpcId, string name, string cidr, string gatewayIp, CancellationToken cancellationToken = default);

    /// <summary>Lists subnets of a VPC.</summary>
    /// <param name="vpcId">The VPC.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The subnets.</returns>
    Task<IReadOnlyList<CloudSubnet>> ListSubnetsAsync(string vpcId, CancellationToken cancellationToken = default);

    /// <summary>Deletes a subnet.</summary>
    /// <param name="vpcId">The VPC.</param>
    /// <param name="subnetId">The subnet.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task.</returns>
    Task DeleteSubnetAsync(string vpcId, string subnetId, CancellationToken cancellationToken = default);

    /// <summary>Creates a security group.</summary>
    /// <param name="name">The name.</param>
    /// <param name="vpcId">The VPC, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The group.</returns>
    Task<CloudSecurityGroup> CreateSecurityGroupAsync(string name, string? vpcId, CancellationToken cancellationToken = default);

    /// <summary>Adds a rule to a security group.</summary>
    /// <param name="securityGroupId">The group.</param>
    /// <param name="rule">The rule.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task.</returns>
    Task AddSecurityGroupRuleAsync(string securityGroupId, SecurityGroupRule rule, CancellationToken cancellationToken = default);

    /// <summary>Lists security groups (with their rules).</summary>
    /// <param name="vpcId">The VPC, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The groups.</returns>
    Task<IReadOnlyList<CloudSecurityGroup>> ListSecurityGroupsAsync(string? vpcId = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes a security group.</summary>
    /// <param name="securityGroupId">The group.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task.</returns>
    Task DeleteSecurityGroupAsync(string securityGroupId, CancellationToken cancellationToken = default);
}

/// <summary>Images (IMS).</summary>
public interface IImageService
{
    /// <summary>Starts making an image from a server's system disk.</summary>
    /// <param name="serverId">The server (stopped).</param>
    /// <param name="name">The image name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The operation; its value is the image.</returns>
    Task<CloudOperation<CloudImage>> StartCreateImageFromServerAsync(string serverId, string name, CancellationToken cancellationToken = default);

    /// <summary>Starts making an image from a volume.</summary>
    /// <param name="volumeId">The volume.</param>
    /// <param name="name">The image name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The operation; its value is the image.</returns>
    Task<CloudOperation<CloudImage>> StartCreateImageFromVolumeAsync(string volumeId, string name, CancellationToken cancellationToken = default);

    /// <summary>Reads an image.</summary>
    /// <param name="imageId">The id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The image.</returns>
    Task<CloudImage> GetImageAsync(string imageId, CancellationToken cancellationToken = default);

    /// <summary>Lists images.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The images.</returns>
    Task<IReadOnlyList<CloudImage>> ListImagesAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes an image.</summary>
    /// <param name="imageId">The id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task.</returns>
    Task DeleteImageAsync(string imageId, CancellationToken cancellationToken = default);
}

/// <summary>A cloud a migration can target: compute, volumes, networks and images behind one provider.</summary>
public interface ICloudProvider
{
    /// <summary>The provider's name ("local", "huaweicloud").</summary>
    /// <value>The name.</value>
    string Name { get; }

    /// <summary>Servers.</summary>
    /// <value>The compute service.</value>
    IComputeService Compute { get; }

    /// <summary>Volumes and snapshots.</summary>
    /// <value>The volume service.</value>
    IVolumeService Volumes { get; }

    /// <summary>Networks.</summary>
    /// <value>The network service.</value>
    INetworkService Networks { get; }

    /// <summary>Images.</summary>
    /// <value>The image service.</value>
    IImageService Images { get; }

    /// <summary>Resumes a long-running operation by the id persisted from <see cref="CloudOperation.Id"/>.</summary>
    /// <param name="operationId">The id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The operation, with its status refreshed.</returns>
    Task<CloudOperation> ResumeOperationAsync(string operationId, CancellationToken cancellationToken = default);
}
