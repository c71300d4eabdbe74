using System.Diagnostics;
using System.Globalization;
using Sms.Cloud.Local;

namespace Sms.Cloud.Tests.Local;

/// <summary>A fresh local cloud per test, with helpers for networks, servers, volumes and their files.</summary>
public abstract class LocalCloudTestBase : IAsyncLifetime
{
    protected const string Zone = "local-1a";
    protected const long GiB = 1L << 30;
    protected const long MiB = 1L << 20;

    protected LocalCloudTestBase(bool onReflinkFileSystem = false) => Temp = new TempDirectory(onReflinkFileSystem);

    protected TempDirectory Temp { get; }

    protected LocalCloudProvider Cloud { get; set; } = null!;

    /// <summary>The options the test's cloud is opened with.</summary>
    protected virtual LocalCloudOptions Options => new();

    public virtual async Task InitializeAsync() => Cloud = await OpenAsync(Options);

    public virtual async Task DisposeAsync()
    {
        await Cloud.DisposeAsync();
        Temp.Dispose();
    }

    protected Task<LocalCloudProvider> OpenAsync(LocalCloudOptions? options = null) => LocalCloudProvider.OpenAsync(Temp.Path, options);

    protected static async Task<T> CompleteAsync<T>(CloudOperation<T> operation)
        where T : class
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await operation.WaitForValueAsync(TimeSpan.FromMilliseconds(10), cancellationToken: timeout.Token);
    }

    protected static async Task CompleteAsync(CloudOperation operation)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await operation.WaitForCompletionAsync(TimeSpan.FromMilliseconds(10), cancellationToken: timeout.Token);
    }

    protected async Task<(CloudVpc Vpc, CloudSubnet Subnet)> CreateNetworkAsync(ICloudProvider? cloud = null)
    {
        cloud ??= Cloud;
        var vpc = await cloud.Networks.CreateVpcAsync("vpc", "192.168.0.0/16");
        var subnet = await cloud.Networks.CreateSubnetAsync(vpc.Id, "subnet", "192.168.1.0/24", "192.168.1.1");
        return (vpc, subnet);
    }

    protected async Task<CloudServer> CreateServerAsync((CloudVpc Vpc, CloudSubnet Subnet) network, IReadOnlyList<int> dataDiskGiB, string imageId = LocalCloudProvider.NoImage, int systemDiskGiB = 4, string? clientToken = null)
        => await CompleteAsync(await Cloud.Compute.StartCreateServerAsync(ServerSpecFor(network, dataDiskGiB, imageId, systemDiskGiB, clientToken)));

    protected static ServerSpec ServerSpecFor((CloudVpc Vpc, CloudSubnet Subnet) network, IReadOnlyList<int> dataDiskGiB, string imageId = LocalCloudProvider.NoImage, int systemDiskGiB = 4, string? clientToken = null)
        => new()
        {
            Name = "srv",
            FlavorId = "s6.small.1",
            ImageId = imageId,
            AvailabilityZone = Zone,
            VpcId = network.Vpc.Id,
            SubnetId = network.Subnet.Id,
            SystemDiskGiB = systemDiskGiB,
            DataDiskGiB = dataDiskGiB,
            ClientToken = clientToken,
        };

    protected async Task<CloudVolume> CreateVolumeAsync(int sizeGiB, ICloudProvider? cloud = null, string name = "vol")
        => await CompleteAsync(await (cloud ?? Cloud).Volumes.StartCreateVolumeAsync(new VolumeSpec { Name = name, SizeGiB = sizeGiB, AvailabilityZone = Zone }));

    protected string VolumesDirectory => System.IO.Path.Combine(Temp.Path, "volumes");

    protected static void WriteAt(string path, long offset, byte[] data)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        stream.Position = offset;
        stream.Write(data);
        stream.Flush(flushToDisk: true);
    }

    protected static byte[] ReadAt(string path, long offset, int count)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Position = offset;
        var buffer = new byte[count];
        stream.ReadExactly(buffer);
        return buffer;
    }

    protected static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>The bytes a file occupies on disk, from <c>stat</c> (independent of the code under test).</summary>
    protected static long AllocatedBytes(string path)
    {
        var start = new ProcessStartInfo("stat") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-c", "%b %B", path })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd().Trim().Split(' ');
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return long.Parse(output[0], CultureInfo.InvariantCulture) * long.Parse(output[1], CultureInfo.InvariantCulture);
    }

    protected static async Task<CloudRequestFailedException> AssertFailsAsync(SmsErrorCode code, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<CloudRequestFailedException>(call);
        Assert.Equal(code, error.ErrorCode);
        return error;
    }

    protected static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
