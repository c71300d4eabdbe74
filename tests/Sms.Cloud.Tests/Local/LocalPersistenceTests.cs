using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Sms.Cloud.Local;
using Sms.Cloud.Local.Store;

namespace Sms.Cloud.Tests.Local;

public sealed class LocalPersistenceTests : LocalCloudTestBase
{
    [Fact]
    public async Task Open_NewInstanceOnTheSameDirectory_SeesEverythingAndResumesOperationsWithTheirValues()
    {
        // Given
        var network = await CreateNetworkAsync();
        var group = await Cloud.Networks.CreateSecurityGroupAsync("sg", network.Vpc.Id);
        await Cloud.Networks.AddSecurityGroupRuleAsync(group.Id, new SecurityGroupRule("ingress", "tcp", 8899, 8900, "0.0.0.0/0"));
        var server = await CreateServerAsync(network, [1]);
        await Cloud.Compute.SetLockedAsync(server.Id, locked: true);
        var create = await Cloud.Volumes.StartCreateVolumeAsync(new VolumeSpec { Name = "kept", SizeGiB = 1, AvailabilityZone = Zone });
        var volume = await CompleteAsync(create);
        var snapshot = await CompleteAsync(await Cloud.Volumes.StartCreateSnapshotAsync(volume.Id, "snap"));
        var image = await CompleteAsync(await Cloud.Images.StartCreateImageFromVolumeAsync(volume.Id, "img"));
        await Cloud.DisposeAsync();

        // When
        await using var reopened = await OpenAsync();

        // Then
        var readServer = await reopened.Compute.GetServerAsync(server.Id);
        Assert.Equal(server.Volumes, readServer.Volumes);
        Assert.True(readServer.Locked);
        Assert.Equal(3, (await ToListAsync(reopened.Volumes.ListVolumesAsync())).Count);
        Assert.Equal(snapshot.Id, Assert.Single(await ToListAsync(reopened.Volumes.ListSnapshotsAsync(volume.Id))).Id);
        Assert.Equal(image.Id, Assert.Single(await reopened.Images.ListImagesAsync()).Id);
        Assert.Equal(new SecurityGroupRule("ingress", "tcp", 8899, 8900, "0.0.0.0/0"), Assert.Single(Assert.Single(await reopened.Networks.ListSecurityGroupsAsync()).Rules));
        Assert.Equal(network.Subnet, Assert.Single(await reopened.Networks.ListSubnetsAsync(network.Vpc.Id)));
        var resumed = Assert.IsAssignableFrom<CloudOperation<CloudVolume>>(await reopened.ResumeOperationAsync(create.Id));
        Assert.True(resumed.HasCompleted);
        Assert.Equal(volume, resumed.Value);
        Assert.Equal(volume.Id, resumed.Entities["volume_id"]);
    }

    [Fact]
    public async Task ResumeOperation_RunningInAnotherInstance_PendingUntilItsWorkFinishes()
    {
        // Given: a background snapshot held at its start in the first instance
        await using var first = await OpenAsync(new LocalCloudOptions { UseReflink = false });
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        first.WorkGate = (_, _) => gate.Task;
        var volume = await CreateVolumeAsync(1, first);
        var started = await first.Volumes.StartCreateSnapshotAsync(volume.Id, "snap");
        Assert.False(started.HasCompleted);

        // When
        await using var second = await OpenAsync();
        var resumed = await second.ResumeOperationAsync(started.Id);

        // Then
        Assert.False(resumed.HasCompleted);
        Assert.Equal("creating", (await second.Volumes.GetSnapshotAsync(started.Entities["snapshot_id"])).Status.Value);
        await AssertFailsAsync(SmsErrorCode.ResourceConflict, () => second.Volumes.StartDeleteVolumeAsync(volume.Id));
        gate.SetResult();
        var snapshot = await CompleteAsync((CloudOperation<CloudSnapshot>)resumed);
        Assert.Equal((volume.Id, CloudResourceStatus.Available), (snapshot.VolumeId, snapshot.Status));
    }

    [Fact]
    public async Task ResumeOperation_WhoseInstanceIsGone_ReportedInterruptedAndUndone()
    {
        // Given: a running snapshot whose owner no longer exists (as after kill -9)
        await using var first = await OpenAsync(new LocalCloudOptions { UseReflink = false });
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        first.WorkGate = (_, _) => gate.Task;
        var volume = await CreateVolumeAsync(1, first);
        var started = await first.Volumes.StartCreateSnapshotAsync(volume.Id, "snap");
        await ExecuteSqlAsync("UPDATE operations SET owner = '00000000000000000000000000000000' WHERE id = $id;", started.Id);

        // When
        var resumed = await Cloud.ResumeOperationAsync(started.Id);
        var error = await Assert.ThrowsAsync<CloudRequestFailedException>(() => resumed.UpdateStatusAsync());

        // Then
        Assert.True(resumed.HasCompleted);
        Assert.Equal("operation.interrupted", error.ProviderErrorCode);
        Assert.Equal(CloudResourceStatus.Error, (await Cloud.Volumes.GetSnapshotAsync(started.Entities["snapshot_id"])).Status);
        gate.SetResult();
        await first.DisposeAsync();
        Assert.Empty(Directory.GetFiles(Path.Combine(Temp.Path, "snapshots")));
        await Assert.ThrowsAsync<CloudRequestFailedException>(() => started.UpdateStatusAsync());
    }

    [Fact]
    public async Task Open_OrphanedOperationFromAnEarlierProcess_ReportedFailedAtOpen()
    {
        // Given: a running image creation whose instance is gone
        await using var first = await OpenAsync(new LocalCloudOptions { UseReflink = false });
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        first.WorkGate = (_, _) => gate.Task;
        var volume = await CreateVolumeAsync(1, first);
        var started = await first.Images.StartCreateImageFromVolumeAsync(volume.Id, "img");
        await ExecuteSqlAsync("UPDATE operations SET owner = 'gone' WHERE id = $id;", started.Id);

        // When
        await using var reopened = await OpenAsync();

        // Then: the volume it held is free again
        Assert.Equal(CloudResourceStatus.Error, (await reopened.Images.GetImageAsync(started.Entities["image_id"])).Status);
        await CompleteAsync(await reopened.Volumes.StartDeleteVolumeAsync(volume.Id));
        gate.SetResult();
    }

    [Fact]
    public async Task Open_StoreFromANewerSdk_RefusedAsInvalidState()
    {
        // Given
        await Cloud.DisposeAsync();
        await ExecuteSqlAsync("PRAGMA user_version = 99;", null);

        // When
        var error = await Assert.ThrowsAsync<SmsException>(() => OpenAsync());

        // Then
        Assert.Equal(SmsErrorCode.InvalidState, error.ErrorCode);
        await ExecuteSqlAsync("PRAGMA user_version = 1;", null);
        Cloud = await OpenAsync();
    }

    [Fact]
    public async Task Open_Store_IsOneWalDatabaseAtSchemaVersion1()
    {
        Assert.True(File.Exists(Path.Combine(Temp.Path, "cloud.db")));
        Assert.Equal("wal", await QuerySqlAsync("PRAGMA journal_mode;"));
        Assert.Equal("1", await QuerySqlAsync("PRAGMA user_version;"));
    }

    [Fact]
    public async Task Store_WriteTransaction_HoldsTheWriteLockBeforeItsFirstStatement()
    {
        // Given: a store write that has not touched the database yet
        var store = new LocalCloudStore(Path.Combine(Temp.Path, "cloud.db"), TimeSpan.FromSeconds(5));
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writer = store.WriteAsync(
            async (_, _) =>
            {
                entered.SetResult();
                await release.Task;
                return 0;
            },
            CancellationToken.None);
        await entered.Task;

        // When: another connection tries to begin writing
        await using var other = new SqliteConnection($"Data Source={Path.Combine(Temp.Path, "cloud.db")};Pooling=False;Default Timeout=1");
        await other.OpenAsync();
        await using (var noWait = other.CreateCommand())
        {
            noWait.CommandText = "PRAGMA busy_timeout = 0;";
            await noWait.ExecuteNonQueryAsync();
        }

        await using var command = other.CreateCommand();
        command.CommandText = "BEGIN IMMEDIATE;";
        var error = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync());

        // Then: BEGIN IMMEDIATE, not a deferred transaction that would upgrade (and fail) later
        Assert.Equal(5, error.SqliteErrorCode); // SQLITE_BUSY
        release.SetResult();
        await writer;
    }

    [Fact]
    public async Task CreateVolume_StoreLockedByAnotherWriterPastTheBusyTimeout_Transient503AndNoFile()
    {
        // Given: another process holds the write lock
        await using var cloud = await OpenAsync(new LocalCloudOptions { BusyTimeout = TimeSpan.FromMilliseconds(200) });
        await using var other = new SqliteConnection($"Data Source={Path.Combine(Temp.Path, "cloud.db")};Pooling=False");
        await other.OpenAsync();
        await using var transaction = other.BeginTransaction(deferred: false);

        // When
        var error = await AssertFailsAsync(SmsErrorCode.CloudRequestFailed, () => cloud.Volumes.StartCreateVolumeAsync(new VolumeSpec { Name = "v", SizeGiB = 1, AvailabilityZone = Zone }));

        // Then
        Assert.Equal((503, "store.busy", true), (error.Status, error.ProviderErrorCode, error.IsTransient));
        Assert.Empty(Directory.GetFiles(VolumesDirectory, "*.img"));
    }

    [Fact]
    public async Task Timestamps_ComeFromTheInjectedClock()
    {
        var now = new DateTimeOffset(2031, 2, 3, 4, 5, 6, TimeSpan.Zero);
        await using var cloud = await LocalCloudProvider.OpenAsync(Temp.Path, time: new FakeTimeProvider(now));
        var volume = await CreateVolumeAsync(1, cloud);

        var snapshot = await CompleteAsync(await cloud.Volumes.StartCreateSnapshotAsync(volume.Id, "snap"));

        Assert.Equal(now, snapshot.CreatedAt);
    }

    [Fact]
    public async Task ResumeOperation_UnknownId_NotFound()
        => Assert.Equal(404, (await AssertFailsAsync(SmsErrorCode.ResourceNotFound, () => Cloud.ResumeOperationAsync("nope"))).Status);

    private async Task ExecuteSqlAsync(string sql, string? id)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(Temp.Path, "cloud.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (id is not null)
        {
            command.Parameters.AddWithValue("$id", id);
        }

        await command.ExecuteNonQueryAsync();
    }

    private async Task<string?> QuerySqlAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(Temp.Path, "cloud.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
