using System.Diagnostics;
using System.Text;

namespace Sms.Integration.Tests.Support;

/// <summary>Runs the built <c>sms</c> program as a real process, optionally inside a network namespace.</summary>
public sealed class SmsProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private SmsProcess(Process process)
    {
        _process = process;
    }

    public static string SmsDll { get; } = FindSmsDll();

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string StandardOutput
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts <c>sms ARGS</c>; inside <paramref name="netns"/> (<c>ip netns exec</c>, which execs in place, so the pid is sms's) when given.</summary>
    public static SmsProcess StartIn(string? netns, params string[] arguments)
    {
        var info = new ProcessStartInfo(netns is null ? "dotnet" : "ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (netns is not null)
        {
            foreach (var part in (string[])["netns", "exec", netns, "dotnet"])
            {
                info.ArgumentList.Add(part);
            }
        }

        info.ArgumentList.Add(SmsDll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        var result = new SmsProcess(process);
        process.OutputDataReceived += (_, e) => Append(result._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(result._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    public static SmsProcess Start(params string[] arguments) => StartIn(null, arguments);

    public static async Task<SmsRun> RunInAsync(string? netns, params string[] arguments)
    {
        using var process = StartIn(netns, arguments);
        var code = await process.WaitAsync(TimeSpan.FromMinutes(3));
        return new SmsRun(code, process.StandardOutput, process.StandardError);
    }

    public static Task<SmsRun> RunAsync(params string[] arguments) => RunInAsync(null, arguments);

    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // drains the redirected streams
        return _process.ExitCode;
    }

    public async Task<SmsRun> ResultAsync(TimeSpan timeout)
    {
        var code = await WaitAsync(timeout);
        return new SmsRun(code, StandardOutput, StandardError);
    }

    /// <summary>SIGKILL, like kill -9: no cleanup runs.</summary>
    public void Kill9() => _process.Kill(entireProcessTree: true);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }
    }

    private static string FindSmsDll()
    {
        // tests/Sms.Integration.Tests/bin/<Configuration>/net10.0/ -> samples/Sms.Cli/bin/<Configuration>/net10.0/sms.dll
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = here.Name;
        var configuration = here.Parent!.Name;
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Sms.sln")))
        {
            root = root.Parent;
        }

        var dll = Path.Combine(root?.FullName ?? ".", "samples", "Sms.Cli", "bin", configuration, framework, "sms.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build samples/Sms.Cli first: {dll} is missing.");
    }
}

/// <summary>The outcome of one <c>sms</c> run.</summary>
public sealed record SmsRun(int ExitCode, string StandardOutput, string StandardError)
{
    public Summary Summary => Summary.FromStandardOutput(StandardOutput);

    /// <summary>The one-line reason on standard error (<c>sms: CODE: …</c>).</summary>
    public string Reason => StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith("sms: ", StringComparison.Ordinal)) ?? StandardError;

    public override string ToString() => $"exit {ExitCode}\nstdout: {StandardOutput}\nstderr: {StandardError}";
}
