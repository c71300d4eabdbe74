using Microsoft.Extensions.Hosting;
using Sms.Receiver;

namespace Sms.Hosting;

/// <summary>Runs the <see cref="ReplicationReceiver"/> for the host's lifetime: starts listening at start, drains at stop.</summary>
internal sealed class ReceiverHostedService(ReplicationReceiver receiver) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => receiver.StartAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
        => await receiver.DisposeAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
}
