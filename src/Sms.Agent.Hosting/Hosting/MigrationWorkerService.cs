using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sms.Diagnostics;
using Sms.Workflow;

namespace Sms.Hosting;

/// <summary>
/// Runs the workflow for the host's lifetime: tasks a dead host left running, continuous syncs that are due, and
/// transient failures once their back-off passed, up to <see cref="MigrationOptions.MaxConcurrentTasks"/> at once. A
/// fault of its own (the store unreachable, say) is logged and retried with a growing back-off; stopping the host
/// stops the work, leaving every task resumable where it was.
/// </summary>
internal sealed class MigrationWorkerService : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);
    private readonly MigrationService _service;
    private readonly MigrationOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public MigrationWorkerService(MigrationService service, IOptions<MigrationOptions> options, ILogger<MigrationWorkerService> logger, TimeProvider time)
    {
        _service = service;
        _options = options.Value;
        _logger = logger;
        _time = time;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new Dictionary<string, Task>(StringComparer.Ordinal);
        var delay = _options.WorkerInterval;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    foreach (var (id, run) in running.ToArray())
                    {
                        if (run.IsCompleted)
                        {
                            running.Remove(id);
                        }
                    }

                    foreach (var id in await _service.FindDueAsync(_options.LeaseDuration * 4, stoppingToken).ConfigureAwait(false))
                    {
                        if (running.Count < _options.MaxConcurrentTasks && !running.ContainsKey(id))
                        {
                            running[id] = Task.Run(() => _service.RunAsync(id, stoppingToken), CancellationToken.None);
                        }
                    }

                    delay = _options.WorkerInterval;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    delay = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, delay.Ticks * 2));
                    Log.WorkerFault(_logger, ex.Message, delay.TotalSeconds);
                }

                await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var run in running.Values)
            {
                try
                {
                    await run.ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException or SmsException)
                {
                    // Stopped with the host, or busy elsewhere: the task resumes later.
                }
            }
        }
    }
}
