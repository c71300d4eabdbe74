using Sms.Files;
using Sms.Receiver;
using Sms.Replication.Tests.Integration;

namespace Sms.Replication.Tests.Files;

/// <summary>A receiver on loopback TLS with a files root in a temp dir, a source tree and a state dir.</summary>
public sealed class FileHarness : IAsyncDisposable
{
    private ReplicationReceiver? _receiver;

    private FileHarness(TempDirectory directory, bool withFilesRoot)
    {
        Directory = directory;
        WithFilesRoot = withFilesRoot;
        System.IO.Directory.CreateDirectory(Source);
    }

    public TempDirectory Directory { get; }

    public bool WithFilesRoot { get; }

    public string Source => Directory.Combine("src");

    public string FilesRoot => Directory.Combine("files");

    public string Volumes => Directory.Combine("volumes");

    public string State => Directory.Combine("state");

    /// <summary>A directory outside the files root, for escape attempts.</summary>
    public string Outside => Directory.Combine("outside");

    public ReplicationReceiver Receiver => _receiver ?? throw new InvalidOperationException("stopped");

    public ReceiverPairing Pairing => Receiver.Pairing;

    /// <summary>Small, fast settings for tests: a few threads, small files inline up to 64 KiB.</summary>
    public static FileReplicationSettings Settings { get; } = new() { Walkers = 3, LargeFileWorkers = 2, InlineFileLimit = 64 * 1024, MaxBuffers = 8 };

    public static async Task<FileHarness> StartAsync(bool withFilesRoot = true)
    {
        var harness = new FileHarness(new TempDirectory(), withFilesRoot);
        await harness.RestartReceiverAsync();
        return harness;
    }

    public string Target(string tree = "t") => Path.Combine(FilesRoot, tree);

    public string Src(string relative) => Path.Combine(Source, relative);

    public string Dst(string relative, string tree = "t") => Path.Combine(Target(tree), relative);

    /// <summary>Stops the receiver abruptly and starts a new one (new certificate and token) on the same directories.</summary>
    public async Task RestartReceiverAsync()
    {
        await StopReceiverAsync();
        _receiver = new ReplicationReceiver(new ReceiverOptions
        {
            VolumesDirectory = Volumes,
            FilesRoot = WithFilesRoot ? FilesRoot : null,
            WrongTokenDelay = TimeSpan.FromMilliseconds(10),
            VolumeBusyWait = TimeSpan.FromSeconds(15),
        });
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

    public Task<FileReplicationResult> ReplicateAsync(FileReplicationSettings? settings = null, ReceiverPairing? pairing = null, string tree = "t", string? source = null, IProgress<ReplicationProgress>? progress = null, CancellationToken cancellationToken = default)
        => new FileReplicator().ReplicateAsync(source ?? Source, pairing ?? Pairing, tree, State, settings ?? Settings, progress, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await StopReceiverAsync();
        Directory.Dispose();
    }
}
