using Sms.Blocks;
using Sms.Engine;
using Sms.Receiver;

namespace Sms.Replication.Tests.Integration;

/// <summary>A receiver on loopback TLS writing into a temp volumes dir, and a source state dir.</summary>
public sealed class ReplicationHarness : IAsyncDisposable
{
    private readonly TimeSpan _volumeBusyWait;
    private ReplicationReceiver? _receiver;

    private ReplicationHarness(TempDirectory directory, TimeSpan volumeBusyWait)
    {
        Directory = directory;
        _volumeBusyWait = volumeBusyWait;
    }

    public TempDirectory Directory { get; }

    public string Volumes => Directory.Combine("volumes");

    public string State => Directory.Combine("state");

    public string SourcePath => Directory.Combine("source.img");

    public ReplicationReceiver Receiver => _receiver ?? throw new InvalidOperationException("stopped");

    public ReceiverPairing Pairing => Receiver.Pairing;

    public static async Task<ReplicationHarness> StartAsync(TimeSpan? volumeBusyWait = null)
    {
        var harness = new ReplicationHarness(new TempDirectory(), volumeBusyWait ?? TimeSpan.FromSeconds(15));
        await harness.RestartReceiverAsync();
        return harness;
    }

    public string VolumePath(string name = "disk0") => System.IO.Path.Combine(Volumes, name + ".img");

    /// <summary>Stops the receiver abruptly (sessions are torn down) and starts a new one on the same volumes.</summary>
    public async Task RestartReceiverAsync()
    {
        await StopReceiverAsync();
        _receiver = new ReplicationReceiver(new ReceiverOptions { VolumesDirectory = Volumes, WrongTokenDelay = TimeSpan.FromMilliseconds(10), VolumeBusyWait = _volumeBusyWait });
        await _receiver.StartAsync();
    }

    public async Task StopReceiverAsync()
    {
        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
            _receiver = null;
        }
    }

    public Task<ReplicationResult> ReplicateAsync(ReplicationSettings? settings = null, ReceiverPairing? pairing = null, string volume = "disk0", IProgress<ReplicationProgress>? progress = null, CancellationToken cancellationToken = default)
        => ReplicateAsync(SourcePath, settings, pairing, volume, progress, cancellationToken);

    public async Task<ReplicationResult> ReplicateAsync(string sourcePath, ReplicationSettings? settings = null, ReceiverPairing? pairing = null, string volume = "disk0", IProgress<ReplicationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var source = FileBlockSource.Open(sourcePath);
        return await new BlockReplicator().ReplicateAsync(source, pairing ?? Pairing, volume, State, settings ?? new ReplicationSettings { Workers = 2, MaxBuffers = 6 }, progress, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopReceiverAsync();
        Directory.Dispose();
    }
}

/// <summary>Calls an action synchronously on every report (Progress&lt;T&gt; would post to the thread pool).</summary>
public sealed class SyncProgress(Action<ReplicationProgress> action) : IProgress<ReplicationProgress>
{
    public void Report(ReplicationProgress value) => action(value);
}
