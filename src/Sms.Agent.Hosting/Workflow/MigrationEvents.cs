using System.Collections.Concurrent;
using System.Threading.Channels;
using Sms.Migration;

namespace Sms.Workflow;

/// <summary>The in-process fan-out of task events to the watchers of each task.</summary>
internal sealed class MigrationEvents
{
    private readonly ConcurrentDictionary<Channel<MigrationEvent>, string> _watchers = new();

    public void Publish(MigrationEvent e)
    {
        foreach (var (channel, taskId) in _watchers)
        {
            if (string.Equals(taskId, e.Task.Id, StringComparison.Ordinal))
            {
                // Slow watchers lose old progress, never the newest event.
                channel.Writer.TryWrite(e);
            }
        }
    }

    public Channel<MigrationEvent> Subscribe(string taskId)
    {
        var channel = Channel.CreateBounded<MigrationEvent>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        _watchers[channel] = taskId;
        return channel;
    }

    public void Unsubscribe(Channel<MigrationEvent> channel)
    {
        _watchers.TryRemove(channel, out _);
        channel.Writer.TryComplete();
    }
}
