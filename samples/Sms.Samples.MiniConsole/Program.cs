// A custom migration console in a few lines: mini-sms DISK-IMAGE [HOME]. It migrates the disk to the local cloud,
// launches the target, and prints what the task did; the hosted worker would resume it after a crash.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sms.Migration;
using Sms.Workflow;

if (args.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: mini-sms DISK-IMAGE [HOME]");
    return 2;
}

var home = Path.GetFullPath(args.Length > 1 ? args[1] : "mini-sms-home");
var builder = Host.CreateApplicationBuilder();
builder.Services.AddSms().AddLocalCloud(Path.Combine(home, "cloud")).AddMigrations(o => o.DataDirectory = Path.Combine(home, "agent"));
using var host = builder.Build();
await host.StartAsync();

var migrations = host.Services.GetRequiredService<MigrationService>();
var task = await migrations.CreateTaskAsync(new MigrationTaskSpec { Disks = [args[0]], Settings = new MigrationSettings { ContinuousSync = false } });
await migrations.ConfigureTargetAsync(task.Id, new TargetSpec());
await migrations.StartAsync(task.Id);
await foreach (var e in migrations.WatchAsync(task.Id))
{
    Console.WriteLine($"{e.Task.Stage,-12} {e.Task.State,-9} {e.Message}");
    if (e.Task.State is MigrationState.Finished or MigrationState.Error or MigrationState.Paused)
    {
        break;
    }
}

await host.StopAsync();
return (await migrations.GetAsync(task.Id)).Error is null ? 0 : 1;
