using Sms.Cloud;
using Sms.Cloud.Local;
using Sms.Migration;
using Sms.Store;
using Sms.Workflow;

namespace Sms.Agent.Hosting.Tests.Workflow;

/// <summary>A local cloud, a task store and a workflow over them, in a temporary directory; <see cref="RestartAsync"/> makes a new "host" over the same files.</summary>
internal sealed class WorkflowHarness : IAsyncDisposable
{
    private WorkflowHarness(string root, LocalCloudProvider cloud, LocalCloudOptions cloudOptions)
    {
        Root = root;
        Cloud = cloud;
        CloudOptions = cloudOptions;
        Service = NewService();
    }

    public string Root { get; }

    public LocalCloudProvider Cloud { get; private set; }

    public LocalCloudOptions CloudOptions { get; }

    public MigrationService Service { get; private set; }

    public MigrationOptions Options => new() { DataDirectory = Path.Combine(Root, "agent"), LeaseDuration = TimeSpan.FromSeconds(5), ControlPollInterval = TimeSpan.FromMilliseconds(100), ProgressInterval = TimeSpan.FromMilliseconds(200) };

    public static SourceServer Server { get; } = new() { Name = "web01", CpuCount = 2, MemoryMiB = 4096, IpAddress = "172.16.5.9" };

    public static async Task<WorkflowHarness> StartAsync(LocalCloudOptions? cloudOptions = null)
    {
        var root = Directory.CreateTempSubdirectory("sms-wf-").FullName;
        cloudOptions ??= new LocalCloudOptions();
        var cloud = await LocalCloudProvider.OpenAsync(Path.Combine(root, "cloud"), cloudOptions);
        return new WorkflowHarness(root, cloud, cloudOptions);
    }

    /// <summary>A new workflow and cloud provider over the same directories, as a restarted host would have.</summary>
    public async Task RestartAsync()
    {
        Service.Dispose();
        await Cloud.DisposeAsync();
        Cloud = await LocalCloudProvider.OpenAsync(Path.Combine(Root, "cloud"), CloudOptions);
        Service = NewService();
    }

    public string Disk(string name = "source.img", int sizeMb = 96, int files = 40) => SampleDisk.Create(Root, name, sizeMb, files);

    public async Task<MigrationTask> CreateConfiguredAsync(MigrationSettings? settings = null, params string[] disks)
    {
        var task = await Service.CreateTaskAsync(new MigrationTaskSpec { Disks = disks, Server = Server, Settings = settings ?? new MigrationSettings() });
        return await Service.ConfigureTargetAsync(task.Id, new TargetSpec());
    }

    public async Task<string> VolumePathAsync(MigrationTask task, int disk)
        => (await Cloud.Volumes.GetVolumeAsync(task.Target!.VolumeIds[disk])).LocalPath!;

    /// <summary>Everything in the cloud, as "kind id" lines.</summary>
    public async Task<List<string>> InventoryAsync()
    {
        var all = new List<string>();
        await foreach (var s in Cloud.Compute.ListServersAsync())
        {
            all.Add($"server {s.Id}");
        }

        await foreach (var v in Cloud.Volumes.ListVolumesAsync())
        {
            all.Add($"volume {v.Id}");
        }

        await foreach (var s in Cloud.Volumes.ListSnapshotsAsync())
        {
            all.Add($"snapshot {s.Id}");
        }

        foreach (var i in await Cloud.Images.ListImagesAsync())
        {
            all.Add($"image {i.Id}");
        }

        foreach (var v in await Cloud.Networks.ListVpcsAsync())
        {
            all.Add($"vpc {v.Id}");
            foreach (var s in await Cloud.Networks.ListSubnetsAsync(v.Id))
            {
                all.Add($"subnet {s.Id}");
            }
        }

        foreach (var g in await Cloud.Networks.ListSecurityGroupsAsync())
        {
            all.Add($"security-group {g.Id}");
        }

        return all;
    }

    public async ValueTask DisposeAsync()
    {
        Service.Dispose();
        await Cloud.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }

    private MigrationService NewService()
    {
        var options = Options;
        return new MigrationService(new SqliteMigrationStore(options.StorePath()), options, [Cloud]);
    }
}
