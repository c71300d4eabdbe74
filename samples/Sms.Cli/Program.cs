using Microsoft.Extensions.Logging;
using Sms;
using Sms.Cli.CommandLine;
using Sms.Cli.Commands;

const string Help = $"""
    sms — server migration: discovery, block and file replication over TLS, and the migration workflow on the local cloud.

    usage:
      sms demo [--size-mb N] [--keep DIR]
      {ReceiveCommand.Usage}
      {ReplicateCommand.Usage}
      {ReplicateFilesCommand.Usage}
      {InventoryCommand.Usage}
      {WorkflowCommands.MigrateUsage}
      {WorkflowCommands.TaskUsage}
      {TemplatesCommand.Usage}

    Exit code 0 on success, 1 on failure (one line on standard error), 2 on a wrong command line.
    """;

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.Error.WriteLine(Help);
    return args.Length == 0 ? 2 : 0;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var verbose = Environment.GetEnvironmentVariable("SMS_LOG_LEVEL");
using var loggers = LoggerFactory.Create(builder =>
{
    builder.SetMinimumLevel(Enum.TryParse<LogLevel>(verbose, ignoreCase: true, out var level) ? level : LogLevel.Warning);
    builder.AddSimpleConsole(o =>
    {
        o.SingleLine = true;
        o.TimestampFormat = "HH:mm:ss.fff ";
    });
    builder.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
});

var rest = args[1..];
try
{
    return args[0] switch
    {
        "receive" => await ReceiveCommand.RunAsync(rest, loggers, cancel.Token),
        "replicate" => await ReplicateCommand.RunAsync(rest, loggers, cancel.Token),
        "replicate-files" => await ReplicateFilesCommand.RunAsync(rest, loggers, cancel.Token),
        "inventory" => await InventoryCommand.RunAsync(rest, cancel.Token),
        "demo" => await DemoCommand.RunAsync(rest, loggers, cancel.Token),
        "migrate" => await WorkflowCommands.MigrateAsync(rest, loggers, cancel.Token),
        "sync" or "launch" or "clone" or "verify" or "resume" or "pause" or "status" or "set-limits" or "cleanup" or "delete-target" or "delete"
            => await WorkflowCommands.TaskCommandAsync(args[0], rest, loggers, cancel.Token),
        "templates" => await TemplatesCommand.RunAsync(rest, loggers, cancel.Token),
        _ => throw new UsageException($"Unknown command '{args[0]}'. Try 'sms --help'."),
    };
}
catch (UsageException ex)
{
    Console.Error.WriteLine($"sms: {ex.Message}");
    return 2;
}
catch (SmsException ex)
{
    Console.Error.WriteLine($"sms: {ex.ErrorCode}: {ex.Message}");
    return 1;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("sms: cancelled");
    return 130;
}
