using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Sms.Cli.CommandLine;
using Sms.Receiver;
using Sms.Transport;

namespace Sms.Cli.Commands;

/// <summary><c>sms receive</c>: the target receiver.</summary>
internal static class ReceiveCommand
{
    public const string Usage = "sms receive --listen HOST:PORT --volumes DIR --pairing-file FILE [--files-root DIR] [--once]";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var a = Arguments.Parse(args, new HashSet<string> { "--listen", "--volumes", "--pairing-file", "--files-root" }, new HashSet<string> { "--once" });
        var options = new ReceiverOptions
        {
            Listen = await ResolveAsync(a.Require("--listen"), cancellationToken),
            VolumesDirectory = a.Require("--volumes"),
            PairingFile = a.Require("--pairing-file"),
            Once = a.Has("--once"),
            FilesRoot = a.Get("--files-root"),
        };
        if (options.FilesRoot is { } filesRoot)
        {
            Directory.CreateDirectory(Path.Combine(filesRoot, ".sms"));
        }

        var receiver = new ReplicationReceiver(options, loggers.CreateLogger<ReplicationReceiver>());
        await using (receiver)
        {
            await receiver.StartAsync(cancellationToken);
            Console.Error.WriteLine($"sms: receiving on {receiver.Pairing.Endpoint} into {Path.GetFullPath(options.VolumesDirectory)}{(options.FilesRoot is null ? string.Empty : $" (file trees into {Path.GetFullPath(options.FilesRoot)})")}; pairing file {options.PairingFile}");
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
            try
            {
                await receiver.Completion.WaitAsync(stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                Console.Error.WriteLine("sms: receiver stopping");
            }
        }

        return 0;
    }

    private static async Task<IPEndPoint> ResolveAsync(string text, CancellationToken cancellationToken)
    {
        var (host, port) = ReplicationConnector.ParseEndpointAllowingPortZero(text);
        if (IPAddress.TryParse(host, out var address))
        {
            return new IPEndPoint(address, port);
        }

        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
        foreach (var candidate in addresses)
        {
            if (candidate.AddressFamily == AddressFamily.InterNetwork)
            {
                return new IPEndPoint(candidate, port);
            }
        }

        return addresses.Length > 0 ? new IPEndPoint(addresses[0], port) : throw new UsageException($"Cannot resolve '{host}'.");
    }
}
