using System.Diagnostics;
using Sms.Cloud.Local;

namespace Sms.Cloud.Tests.Local;

/// <summary>Snapshots and rollbacks with the default (reflink where supported) and the forced sparse-copy path.</summary>
public abstract class LocalSnapshotTests : LocalCloudTestBase
{
    private readonly bool _useReflink;

    protected LocalSnapshotTests(bool useReflink)
        : base(onReflinkFileSystem: useReflink)
        => _useReflink = useReflink;

    protected override LocalCloudOptions Options => new() { UseReflink = _useReflink };

    [Fact]
    public async Task Snapshot_CopyMethod_ReflinkOnlyWhereAllowedAndSupported()
    {
        // Given
        var volume = await CreateVolumeAsync(1);
        WriteAt(volume.LocalPath!, 0, Pattern(4096, 3));

        // When
        var snapshot = await CompleteAsync(await Cloud.Volumes.StartCreateSnapshotAsync(volume.Id, "snap"));

        // Then
        Assert.Equal(_useReflink && Cloud.UsesReflinks ? "Reflink" : "SparseCopy", await Cloud.GetSnapshotCopyMethodAsync(snapshot.Id));
        if (!_useReflink)
        {
            Assert.False(Cloud.UsesReflinks);
        }
    }

    [Fact]
    public void Open_Default_UsesReflinksExactlyWhereCpCanReflink()
    {
        // Given: coreutils' own answer on the same file system
        var source = Path.Combine(Temp.Path, "probe");
        File.WriteAllBytes(source, Pattern(4096, 7));
        var start = new ProcessStartInfo("cp") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in new[] { "--reflink=always", source, source + ".clone" })
        {
            start.ArgumentList.Add(argument);
        }

        using var cp = Process.Start(start)!;
        cp.WaitForExit();

        // Then
        Assert.Equal(_useReflink && cp.ExitCode == 0, Cloud.UsesReflinks);
        if (_useReflink && Environment.GetEnvironmentVariable(TempDirectory.ReflinkVariable) is { Length: > 0 })
        {
            Assert.True(Cloud.UsesReflinks, $"{TempDirectory.ReflinkVariable} names a file system without reflinks");
        }
    }

    [Fact]
    public async Task Rollback_AfterWritesFollowingTheSnapshot_VolumeHoldsTheOldBytes()
    {
        // Given
        var volume = await CreateVolumeAsync(1);
        var before = Pattern(64 * 1024, 4);
        var after = Pattern(64 * 1024, 5);
        WriteAt(volume.LocalPath!, 10 * MiB, before);
        var snapshot = await CompleteAsync(await Cloud.Volumes.StartCreateSnapshotAsync(volume.Id, "before"));
        WriteAt(volume.LocalPath!, 10 * MiB, after);
        WriteAt(volume.LocalPath!, 900 * MiB, after);
        Assert.Equal(after, ReadAt(volume.LocalPath!, 10 * MiB, after.Length));

        // When
        await CompleteAsync(await Cloud.Volumes.StartRollbackSnapshotAsync(snapshot.Id, volume.Id));

        // Then
        Assert.Equal(before, ReadAt(volume.LocalPath!, 10 * MiB, before.Length));
        Assert.Equal(new byte[after.Length], ReadAt(volume.LocalPath!, 900 * MiB, after.Length));
        Assert.Equal(GiB, new FileInfo(volume.LocalPath!).Length);
        Assert.Equal(CloudResourceStatus.Available, (await Cloud.Volumes.GetVolumeAsync(volume.Id)).Status);
    }

    [Fact]
    public async Task Snapshot_MostlyEmptyVolume_SnapshotFileIsSparse()
    {
        // Given: 1 MiB of data and 1 MiB of explicitly written zeros in a 1 GiB volume
        var volume = await CreateVolumeAsync(1);
        WriteAt(volume.LocalPath!, 512 * MiB, Pattern((int)MiB, 6));
        WriteAt(volume.LocalPath!, 700 * MiB, new byte[MiB]);

        // When
        var snapshot = await CompleteAsync(await Cloud.Volumes.StartCreateSnapshotAsync(volume.Id, "snap"));

        // Then
        var file = Path.Combine(Temp.Path, "snapshots", snapshot.Id + ".img");
        Assert.Equal(GiB, new FileInfo(file).Length);
        Assert.True(AllocatedBytes(file) <= 2 * MiB, $"snapshot occupies {AllocatedBytes(file)} bytes");
        Assert.Equal(ReadAt(volume.LocalPath!, 512 * MiB, (int)MiB), ReadAt(file, 512 * MiB, (int)MiB));
    }

    [Fact]
    public async Task Rollback_ClearsTheBlockReceiversBookkeepingOfThatVolumeOnly()
    {
        // Given: receiver state for the volume (NAME.json and a torn NAME.json.tmp) and for another volume
        var volume = await CreateVolumeAsync(1);
        var other = await CreateVolumeAsync(1, name: "other");
        var stateDirectory = Path.Combine(VolumesDirectory, ".sms");
        Directory.CreateDirectory(stateDirectory);
        var state = Path.Combine(stateDirectory, volume.Id + ".json");
        var otherState = Path.Combine(stateDirectory, other.Id + ".json");
        await File.WriteAllTextAsync(state, "{\"volumeId\":\"0123\",\"clean\":true}");
        await File.WriteAllTextAsync(state + ".tmp", "{");
        await File.WriteAllTextAsync(otherState, "{\"volumeId\":\"4567\",\"clean\":true}");
        var snapshot = await CompleteAsync(await Cloud.Volumes.StartCreateSnapshotAsync(volume.Id, "snap"));

        // When
        await CompleteAsync(await Cloud.Volumes.StartRollbackSnapshotAsync(snapshot.Id, volume.Id));

        // Then
        Assert.False(File.Exists(state));
        Assert.False(File.Exists(state + ".tmp"));
        Assert.True(File.Exists(otherState));
    }

    [Fact]
    public async Task Rollback_VolumeOfARunningServer_ConflictUntilTheServerStops()
    {
        // Given
        var server = await CreateServerAsync(await CreateNetworkAsync(), [1]);
        var dataDisk = server.Volumes[1].VolumeId;
        var snapshot = await CompleteAsync(await Cloud.Volumes.StartCreateSnapshotAsync(dataDisk, "snap"));

        // When
        var error = await AssertFailsAsync(SmsErrorCode.ResourceConflict, () => Cloud.Volumes.StartRollbackSnapshotAsync(snapshot.Id, dataDisk));

        // Then
        Assert.Contains("stop the server or detach the volume", error.Message, StringComparison.Ordinal);
        await CompleteAsync(await Cloud.Compute.StartStopServerAsync(server.Id));
        await CompleteAsync(await Cloud.Volumes.StartRollbackSnapshotAsync(snapshot.Id, dataDisk));
        await CompleteAsync(await Cloud.Compute.StartStartServerAsync(server.Id));
    }

    [Fact]
    public async Task Rollback_SnapshotOfAnotherVolume_Refused400()
    {
        var first = await CreateVolumeAsync(1);
        var second = await CreateVolumeAsync(1, name: "second");
        var snapshot = await CompleteAsync(await Cloud.Volumes.StartCreateSnapshotAsync(first.Id, "snap"));

        var error = await AssertFailsAsync(SmsErrorCode.CloudRequestFailed, () => Cloud.Volumes.StartRollbackSnapshotAsync(snapshot.Id, second.Id));

        Assert.Equal(400, error.Status);
    }

    [Fact]
    public async Task Snapshot_VolumeFileRemovedBehindTheCloudsBack_OperationFailsWithItsReason()
    {
        // Given
        var volume = await CreateVolumeAsync(1);
        File.Delete(volume.LocalPath!);

        // When
        var operation = await Cloud.Volumes.StartCreateSnapshotAsync(volume.Id, "snap");
        var error = await Assert.ThrowsAsync<CloudRequestFailedException>(() => CompleteAsync(operation));

        // Then
        Assert.Equal((0, "operation.failed", operation.Id), (error.Status, error.ProviderErrorCode, error.RequestId));
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
        Assert.True(operation.HasCompleted);
        var snapshot = Assert.Single(await ToListAsync(Cloud.Volumes.ListSnapshotsAsync(volume.Id)));
        Assert.Equal(CloudResourceStatus.Error, snapshot.Status);
        Assert.Empty(Directory.GetFiles(Path.Combine(Temp.Path, "snapshots")));
        await Assert.ThrowsAsync<CloudRequestFailedException>(() => operation.UpdateStatusAsync());
    }
}

public sealed class LocalSnapshotReflinkTests() : LocalSnapshotTests(useReflink: true);

public sealed class LocalSnapshotSparseCopyTests() : LocalSnapshotTests(useReflink: false);
