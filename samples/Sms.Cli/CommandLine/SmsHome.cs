using Microsoft.Extensions.Logging;
using Sms.Cloud.Local;
using Sms.Store;
using Sms.Workflow;

namespace Sms.Cli.CommandLine;

/// <summary>
/// The console's persistent place: <c>--home DIR</c>, else <c>$SMS_HOME</c>, else <c>~/.sms</c>. It holds the task store
/// and replication state (<c>agent/</c>) and the embedded local cloud (<c>cloud/</c>), so every <c>sms</c> command
/// works on the same tasks.
/// </summary>
internal sealed class SmsHome : IAsyncDisposable
{
    private SmsHome(string root, LocalCloudProvider cloud, MigrationService service)
    {
        Root = root;
        Cloud = cloud;
        Service = service;
    }

    public string Root { get; }

    public LocalCloudProvider Cloud { get; }

    public MigrationService Service { get; }

    public static string Resolve(string? option)
        => Path.GetFullPath(option ?? Environment.GetEnvironmentVariable("SMS_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".sms"));

    public static async Task<SmsHome> OpenAsync(string? option, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var root = Resolve(option);
        var cloud = await LocalCloudProvider.OpenAsync(Path.Combine(root, "cloud"), new LocalCloudOptions(), null, loggers, cancellationToken);
        var options = new MigrationOptions { DataDirectory = Path.Combine(root, "agent") };
        var service = new MigrationService(new SqliteMigrationStore(options.StorePath()), options, [cloud], loggers: loggers);
        return new SmsHome(root, cloud, service);
    }

    public async ValueTask DisposeAsync()
    {
        Service.Dispose();
        await Cloud.DisposeAsync();
    }
}
