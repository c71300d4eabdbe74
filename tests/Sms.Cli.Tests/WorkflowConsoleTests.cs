using System.Text.Json;

namespace Sms.Cli.Tests;

/// <summary>The workflow commands on the real program, sharing a task store and local cloud through <c>--home</c>.</summary>
public sealed class WorkflowConsoleTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string[] Home => ["--home", _files["home"]];

    [Fact]
    public async Task Demo_OnAFreshHome_RunsEveryStepAndExitsZero()
    {
        // When
        var (code, stdout, stderr) = await SmsProcess.RunAsync("demo", "--size-mb", "128");

        // Then
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("12 of 12 steps ok", stdout, StringComparison.Ordinal);
        Assert.Contains("0 left", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_SyncLaunchStatusDelete_PrintTheJsonContractAndKeepTheStoreBetweenProcesses()
    {
        // Given
        TestFiles.CreateImage(_files["disk.img"], 24L << 20, seed: 1);

        // When
        var migrate = await SmsProcess.RunAsync(["migrate", "--source", _files["disk.img"], "--cpus", "1", "--memory-mb", "1024", "--ip", "10.2.3.4", "--json", .. Home]);
        var id = Json(migrate.StandardOutput).GetProperty("id").GetString()!;
        using (var file = new FileStream(_files["disk.img"], FileMode.Open))
        {
            file.Position = 5 << 20;
            file.Write(new byte[] { 1, 2, 3, 4 });
        }

        var sync = await SmsProcess.RunAsync(["sync", id, "--json", .. Home]);
        var launchEarly = await SmsProcess.RunAsync(["clone", id, "--json", .. Home]);
        var launch = await SmsProcess.RunAsync(["launch", id, "--json", .. Home]);
        var again = await SmsProcess.RunAsync(["launch", id, .. Home]);
        var status = await SmsProcess.RunAsync(["status", "--json", .. Home]);
        var delete = await SmsProcess.RunAsync(["delete", id, "--delete-resources", "--json", .. Home]);

        // Then
        Assert.True(migrate.ExitCode == 0, migrate.StandardError);
        var full = Json(migrate.StandardOutput);
        Assert.Equal("syncing", full.GetProperty("stage").GetString());
        Assert.Equal("waiting", full.GetProperty("state").GetString());
        Assert.Equal("full", full.GetProperty("mode").GetString());
        Assert.True(full.GetProperty("verified").GetBoolean());
        Assert.True(full.GetProperty("bytesWritten").GetInt64() >= 12L << 20);
        Assert.True(sync.ExitCode == 0, sync.StandardError);
        var incremental = Json(sync.StandardOutput);
        Assert.Equal("incremental", incremental.GetProperty("mode").GetString());
        Assert.Equal(1L << 20, incremental.GetProperty("bytesWritten").GetInt64());
        Assert.True(launchEarly.ExitCode == 0, launchEarly.StandardError);
        Assert.Single(Json(launchEarly.StandardOutput).GetProperty("clones").EnumerateArray());
        Assert.True(launch.ExitCode == 0, launch.StandardError);
        Assert.Equal("cutovered", Json(launch.StandardOutput).GetProperty("stage").GetString());
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("SDK.0018", again.StandardError, StringComparison.Ordinal);
        Assert.Equal("finished", JsonDocument.Parse(status.StandardOutput).RootElement[0].GetProperty("state").GetString());
        Assert.True(delete.ExitCode == 0, delete.StandardError);
        Assert.True(Json(delete.StandardOutput).GetProperty("resourcesDeleted").GetInt32() >= 6);
        Assert.Empty(Directory.GetFiles(Path.Combine(_files["home"], "cloud", "volumes"), "*.img"));
    }

    [Fact]
    public async Task Migrate_KilledMidReplication_ResumeInANewProcessFinishesAndTargetEqualsSource()
    {
        // Given: 64 MiB of data at 64 Mbit/s (about 8 s).
        TestFiles.CreateImage(_files["disk.img"], 128L << 20, seed: 2);
        using var migrate = SmsProcess.Start(["migrate", "--source", _files["disk.img"], "--cpus", "1", "--memory-mb", "1024", "--rate-limit", "64", "--json", .. Home]);

        // When: kill -9 once the task shows written bytes, then resume.
        var id = await WaitForAsync(t => t.GetProperty("bytesWritten").GetInt64() > 4L << 20);
        migrate.Kill9();
        await migrate.WaitAsync(TimeSpan.FromSeconds(30));
        var killed = Task(await SmsProcess.RunAsync(["status", "--json", .. Home]), id);
        var resume = await SmsProcess.RunAsync(["resume", id, "--json", .. Home]);
        var launch = await SmsProcess.RunAsync(["launch", id, "--json", .. Home]);

        // Then: it was killed while replicating, the resumed run sent only the rest, and the target is the source.
        Assert.Equal("replicating", killed.GetProperty("stage").GetString());
        Assert.Equal("running", killed.GetProperty("state").GetString());
        Assert.True(resume.ExitCode == 0, resume.StandardError);
        var resumed = Json(resume.StandardOutput);
        Assert.Equal("syncing", resumed.GetProperty("stage").GetString());
        Assert.Equal("incremental", resumed.GetProperty("mode").GetString());
        Assert.True(resumed.GetProperty("bytesWritten").GetInt64() < 64L << 20, resume.StandardOutput);
        Assert.True(launch.ExitCode == 0, launch.StandardError);
        var volume = Assert.Single(Directory.GetFiles(Path.Combine(_files["home"], "cloud", "volumes"), "*.img"));
        Assert.True(TestFiles.SamePrefix(_files["disk.img"], volume), "the target volume differs from the source disk");
    }

    [Fact]
    public async Task Pause_FromAnotherProcess_StopsTheRunningMigrate_AndResumeFinishesIt()
    {
        // Given
        TestFiles.CreateImage(_files["disk.img"], 128L << 20, seed: 3);
        using var migrate = SmsProcess.Start(["migrate", "--source", _files["disk.img"], "--cpus", "1", "--memory-mb", "1024", "--rate-limit", "64", "--json", .. Home]);
        var id = await WaitForAsync(t => t.GetProperty("bytesWritten").GetInt64() > 4L << 20);

        // When
        var pause = await SmsProcess.RunAsync(["pause", id, .. Home]);
        var code = await migrate.WaitAsync(TimeSpan.FromSeconds(30));
        var paused = Json(migrate.StandardOutput);
        var resume = await SmsProcess.RunAsync(["resume", id, "--json", .. Home]);

        // Then
        Assert.True(pause.ExitCode == 0, pause.StandardError);
        Assert.Equal(0, code);
        Assert.Equal("paused", paused.GetProperty("state").GetString());
        Assert.True(resume.ExitCode == 0, resume.StandardError);
        Assert.Equal("waiting", Json(resume.StandardOutput).GetProperty("state").GetString());
    }

    private static JsonElement Json(string stdout) => TestFiles.LastJsonLine(stdout);

    private static JsonElement Task((int ExitCode, string StandardOutput, string StandardError) status, string id)
    {
        foreach (var task in JsonDocument.Parse(status.StandardOutput).RootElement.EnumerateArray())
        {
            if (task.GetProperty("id").GetString() == id)
            {
                return task;
            }
        }

        throw new InvalidOperationException($"no task {id}: {status.StandardOutput}");
    }

    private async Task<string> WaitForAsync(Func<JsonElement, bool> condition)
    {
        for (var i = 0; i < 200; i++)
        {
            var (code, stdout, _) = await SmsProcess.RunAsync(["status", "--json", .. Home]);
            if (code == 0 && stdout.TrimStart().StartsWith('['))
            {
                foreach (var task in JsonDocument.Parse(stdout).RootElement.EnumerateArray())
                {
                    if (condition(task))
                    {
                        return task.GetProperty("id").GetString()!;
                    }
                }
            }

            await System.Threading.Tasks.Task.Delay(100);
        }

        throw new TimeoutException("the task never got there");
    }
}
