using System.Text.Json.Nodes;
using Sms.Cloud.Huawei;
using Sms.Cloud.Tests.Huawei.Fake;
using Sms.Cloud.Tests.Huawei.Fixtures;
using Sms.Cloud.Tests.Huawei.Support;
using Sms.Discovery;

namespace Sms.Cloud.Tests.Huawei;

public sealed class HuaweiComputeServiceTests
{
    private const string P = HuaweiFakeCloud.ProjectId;
    private const string Id = "[0-9a-f-]{36}";

    [Fact]
    public async Task StartCreateServerAsync_Spec_PostsTheRecordedBodySignedAndWalksTheJobToTheServer()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();

        // When
        CloudOperation<CloudServer> operation = await harness.Provider.Compute.StartCreateServerAsync(HuaweiTestData.ServerSpec());
        CloudServer server = await operation.WaitForValueAsync(HuaweiTestHarness.Poll);

        // Then
        FakeRequest create = Assert.Single(harness.Fake.RequestsTo("ecs", "POST", $"/v1/{P}/cloudservers"));
        JsonAssert.Equivalent(EcsFixtures.CreateServerRequest, create.Body);
        Assert.True(HuaweiFakeCloud.IsJsonUtf8(create.Header("Content-Type")), create.Header("Content-Type"));
        Assert.Equal(P, create.Header("X-Project-Id"));
        Assert.Matches("^[0-9]{8}T[0-9]{6}Z$", create.Header("X-Sdk-Date"));
        Assert.StartsWith($"SDK-HMAC-SHA256 Access={HuaweiFakeCloud.AccessKey}, SignedHeaders=host;x-project-id;x-sdk-date, Signature=", create.Header("Authorization"), StringComparison.Ordinal);
        Assert.All(harness.Fake.Requests, r => Assert.True(r.SignatureValid, r.ToString()));

        string jobId = operation.Id.Split(':')[2];
        Assert.Equal($"ecs:create-server:{jobId}", operation.Id);
        Assert.Equal(["INIT", "RUNNING", "SUCCESS"], harness.Fake.State.Jobs[jobId].Answered);
        Assert.Equal(3, harness.Fake.RequestsTo("ecs", "GET", $"/v1/{P}/jobs/{jobId}").Count);
        Assert.Equal(server.Id, operation.Entities["server_id"]);

        Assert.Equal("sms-target-01", server.Name);
        Assert.Equal(CloudResourceStatus.Active, server.Status);
        Assert.Equal(HuaweiTestData.Flavor, server.FlavorId);
        Assert.Equal(HuaweiTestData.Zone, server.AvailabilityZone);
        Assert.Equal(FirmwareType.Bios, server.Firmware);
        Assert.Equal(["/dev/vda", "/dev/vdb", "/dev/vdc"], server.Volumes.Select(v => v.Device));
        Assert.Equal([0, null, null], server.Volumes.Select(v => v.BootIndex));
        Assert.Equal("task-1", server.Metadata["sms-task"]);
        Assert.DoesNotContain(server.Metadata.Keys, k => k.StartsWith("sms:", StringComparison.Ordinal));
        Assert.Single(server.Addresses);
    }

    [Fact]
    public async Task GetServerAsync_RecordedResponse_MapsEveryField()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();
        CloudServer created = await (await harness.Provider.Compute.StartCreateServerAsync(HuaweiTestData.ServerSpec() with { Firmware = FirmwareType.Uefi })).WaitForValueAsync(HuaweiTestHarness.Poll);

        // When
        CloudServer server = await harness.Provider.Compute.GetServerAsync(created.Id);

        // Then
        // One GET by the create operation once its job succeeded, one by GetServerAsync.
        Assert.Equal(2, harness.Fake.RequestsTo("ecs", "GET", $"/v1/{P}/cloudservers/{created.Id}").Count(r => r.Body.Length == 0));
        Assert.Equal(created.Id, server.Id);
        Assert.Equal(FirmwareType.Uefi, server.Firmware);
        Assert.False(server.Locked);
        Assert.Equal("192.168.0.10", Assert.Single(server.Addresses));
        Assert.Equal(HuaweiTestData.VpcId, server.Metadata["vpc_id"]);
    }

    [Fact]
    public async Task GetServerAsync_UnknownServer_ThrowsNotFoundWithProviderCodeAndRequestId()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();

        // When
        var error = await Assert.ThrowsAsync<CloudRequestFailedException>(() => harness.Provider.Compute.GetServerAsync("b3a8d6b2-0000-0000-0000-000000000000"));

        // Then
        Assert.Equal(404, error.Status);
        Assert.Equal("Ecs.0114", error.ProviderErrorCode);
        Assert.Equal(SmsErrorCode.ResourceNotFound, error.ErrorCode);
        Assert.Matches("^[0-9a-f]{32}$", error.RequestId);
        Assert.Contains(error.RequestId!, error.Message, StringComparison.Ordinal);
        Assert.Contains("could not be found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListServersAsync_ThreeServers_PagesThroughListDetail()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();
        for (int i = 0; i < 3; i++)
        {
            await (await harness.Provider.Compute.StartCreateServerAsync(HuaweiTestData.ServerSpec(name: $"srv-{i}"))).WaitForCompletionAsync(HuaweiTestHarness.Poll);
        }

        // When
        List<CloudServer> servers = await harness.Provider.Compute.ListServersAsync().ToListAsync();

        // Then
        Assert.Equal(["srv-0", "srv-1", "srv-2"], servers.Select(s => s.Name).Order());
        FakeRequest list = Assert.Single(harness.Fake.RequestsTo("ecs", "GET", $"/v1/{P}/cloudservers/detail"));
        Assert.Equal("?limit=50&offset=1", list.Query);
    }

    [Fact]
    public async Task ListFlavorsAsync_Zone_QueriesTheZoneAndParsesStringVcpus()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();

        // When
        IReadOnlyList<CloudFlavor> flavors = await harness.Provider.Compute.ListFlavorsAsync(HuaweiTestData.Zone);

        // Then
        Assert.Equal("?availability_zone=cn-north-4a", Assert.Single(harness.Fake.RequestsTo("ecs", "GET", $"/v1/{P}/cloudservers/flavors")).Query);
        Assert.Equal([new CloudFlavor("s6.large.2", 2, 4096), new CloudFlavor("s6.xlarge.2", 4, 8192)], flavors);
    }

    [Fact]
    public async Task StartStopAndStartServerAsync_Server_PostBatchActionsAndWaitForTheirJobs()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();
        CloudServer server = await (await harness.Provider.Compute.StartCreateServerAsync(HuaweiTestData.ServerSpec())).WaitForValueAsync(HuaweiTestHarness.Poll);

        // When
        await (await harness.Provider.Compute.StartStopServerAsync(server.Id)).WaitForCompletionAsync(HuaweiTestHarness.Poll);
        CloudResourceStatus stopped = (await harness.Provider.Compute.GetServerAsync(server.Id)).Status;
        await (await harness.Provider.Compute.StartStartServerAsync(server.Id)).WaitForCompletionAsync(HuaweiTestHarness.Poll);
        CloudResourceStatus started = (await harness.Provider.Compute.GetServerAsync(server.Id)).Status;

        // Then
        IReadOnlyList<FakeRequest> actions = harness.Fake.RequestsTo("ecs", "POST", $"/v1/{P}/cloudservers/action");
        Assert.Equal(2, actions.Count);
        JsonAssert.Equivalent($$"""{ "os-stop": { "servers": [ { "id": "{{server.Id}}" } ], "type": "SOFT" } }""", actions[0].Body);
        JsonAssert.Equivalent($$"""{ "os-start": { "servers": [ { "id": "{{server.Id}}" } ] } }""", actions[1].Body);
        Assert.Equal(CloudResourceStatus.Shutoff, stopped);
        Assert.Equal(CloudResourceStatus.Active, started);
    }

    [Fact]
    public async Task StartAttachAndDetachVolumeAsync_Volume_UseAttachvolumeAndDetachvolume()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();
        CloudServer server = await (await harness.Provider.Compute.StartCreateServerAsync(HuaweiTestData.ServerSpec())).WaitForValueAsync(HuaweiTestHarness.Poll);
        CloudVolume volume = await (await harness.Provider.Volumes.StartCreateVolumeAsync(new VolumeSpec { Name = "extra", SizeGiB = 10, AvailabilityZone = HuaweiTestData.Zone })).WaitForValueAsync(HuaweiTestHarness.Poll);

        // When
        await (await harness.Provider.Compute.StartAttachVolumeAsync(server.Id, volume.Id, "/dev/vdd")).WaitForCompletionAsync(HuaweiTestHarness.Poll);
        CloudVolume attached = await harness.Provider.Volumes.GetVolumeAsync(volume.Id);
        await (await harness.Provider.Compute.StartDetachVolumeAsync(server.Id, volume.Id)).WaitForCompletionAsync(HuaweiTestHarness.Poll);
        CloudVolume detached = await harness.Provider.Volumes.GetVolumeAsync(volume.Id);

        // Then
        FakeRequest attach = Assert.Single(harness.Fake.RequestsTo("ecs", "POST", $"/v1/{P}/cloudservers/{server.Id}/attachvolume"));
        JsonAssert.Equivalent($$"""{ "volumeAttachment": { "volumeId": "{{volume.Id}}", "device": "/dev/vdd" } }""", attach.Body);
        FakeRequest detach = Assert.Single(harness.Fake.RequestsTo("ecs", "DELETE", $"/v1/{P}/cloudservers/{server.Id}/detachvolume/{volume.Id}"));
        Assert.Empty(detach.Body);
        Assert.Equal(server.Id, attached.AttachedTo);
        Assert.Equal(CloudResourceStatus.InUse, attached.Status);
        Assert.Null(detached.AttachedTo);
        Assert.Equal(CloudResourceStatus.Available, detached.Status);
    }

    [Fact]
    public async Task StartDeleteServerAsync_KeepVolumes_PostsDeleteAndLeavesDataDisksAvailable()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();
        CloudServer server = await (await harness.Provider.Compute.StartCreateServerAsync(HuaweiTestData.ServerSpec())).WaitForValueAsync(HuaweiTestHarness.Poll);

        // When
        await (await harness.Provider.Compute.StartDeleteServerAsync(server.Id, deleteVolumes: false)).WaitForCompletionAsync(HuaweiTestHarness.Poll);

        // Then
        JsonAssert.Equivalent(
            $$"""{ "servers": [ { "id": "{{server.Id}}" } ], "delete_publicip": false, "delete_volume": false }""",
            Assert.Single(harness.Fake.RequestsTo("ecs", "POST", $"/v1/{P}/cloudservers/delete")).Body);
        var error = await Assert.ThrowsAsync<CloudRequestFailedException>(() => harness.Provider.Compute.GetServerAsync(server.Id));
        Assert.Equal(SmsErrorCode.ResourceNotFound, error.ErrorCode);
        List<CloudVolume> volumes = await harness.Provider.Volumes.ListVolumesAsync().ToListAsync();
        Assert.Equal(2, volumes.Count);
        Assert.All(volumes, v => Assert.Equal(CloudResourceStatus.Available, v.Status));
    }

    [Fact]
    public async Task SetLockedAsync_LockThenUnlock_PostsNovaStyleActionsAndLockBlocksStop()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();
        CloudServer server = await (await harness.Provider.Compute.StartCreateServerAsync(HuaweiTestData.ServerSpec())).WaitForValueAsync(HuaweiTestHarness.Poll);

        // When
        await harness.Provider.Compute.SetLockedAsync(server.Id, locked: true);
        bool lockedAfterLock = (await harness.Provider.Compute.GetServerAsync(server.Id)).Locked;
        var refused = await Assert.ThrowsAsync<CloudRequestFailedException>(() => harness.Provider.Compute.StartStopServerAsync(server.Id));
        await harness.Provider.Compute.SetLockedAsync(server.Id, locked: false);
        bool lockedAfterUnlock = (await harness.Provider.Compute.GetServerAsync(server.Id)).Locked;

        // Then
        IReadOnlyList<FakeRequest> actions = harness.Fake.RequestsTo("ecs", "POST", $"/v1/{P}/cloudservers/{server.Id}/action");
        Assert.Equal(["""{"lock":{}}""", """{"unlock":{}}"""], actions.Select(a => a.Body));
        Assert.True(lockedAfterLock);
        Assert.False(lockedAfterUnlock);
        Assert.Equal(409, refused.Status);
        Assert.Equal(SmsErrorCode.ResourceConflict, refused.ErrorCode);
    }

    [Fact]
    public async Task StartCreateServerAsync_SameClientTokenTwice_CreatesOneServer()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();
        CloudServer first = await (await harness.Provider.Compute.StartCreateServerAsync(HuaweiTestData.ServerSpec(clientToken: "mig-42-target"))).WaitForValueAsync(HuaweiTestHarness.Poll);

        // When
        CloudOperation<CloudServer> again = await harness.Provider.Compute.StartCreateServerAsync(HuaweiTestData.ServerSpec(clientToken: "mig-42-target"));
        CloudServer second = await again.WaitForValueAsync(HuaweiTestHarness.Poll);

        // Then
        Assert.Equal(first.Id, second.Id);
        Assert.Equal($"ecs:server-ready:{first.Id}", again.Id);
        FakeRequest create = Assert.Single(harness.Fake.RequestsTo("ecs", "POST", $"/v1/{P}/cloudservers"));
        Assert.Equal("mig-42-target", (string?)create.Json!["server"]!["metadata"]!["sms:client_token"]);
        Assert.All(harness.Fake.RequestsTo("ecs", "GET", $"/v1/{P}/cloudservers/detail"), r => Assert.Equal("?limit=50&offset=1&name=sms-target-01", r.Query));
        Assert.Single(harness.Fake.State.Servers);
    }

    [Fact]
    public async Task StartCreateServerAsync_Uefi_TagsTheFirmware()
    {
        // Given
        await using var harness = await HuaweiTestHarness.StartAsync();

        // When
        await harness.Provider.Compute.StartCreateServerAsync(HuaweiTestData.ServerSpec() with { Firmware = FirmwareType.Uefi, DataDiskGiB = [], SecurityGroupIds = [] });

        // Then
        JsonNode server = Assert.Single(harness.Fake.RequestsTo("ecs", "POST", $"/v1/{P}/cloudservers")).Json!["server"]!;
        Assert.Equal("uefi", (string?)server["metadata"]!["sms:firmware"]);
        Assert.Null(server["data_volumes"]);
        Assert.Null(server["security_groups"]);
        Assert.Matches(Id, (string?)harness.Fake.State.Servers.Keys.Single());
    }
}
