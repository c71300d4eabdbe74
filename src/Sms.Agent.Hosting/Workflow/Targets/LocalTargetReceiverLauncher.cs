using Microsoft.Extensions.Logging;
using Sms.Cloud;
using Sms.Cloud.Local;
using Sms.Migration;
using Sms.Receiver;
using Sms.Replication;

namespace Sms.Workflow.Targets;

/// <summary>
/// The target side of the local cloud: a block and file receiver on loopback TLS writing straight into the cloud's
/// volume files (a volume's id is its name on the receiver) and, for file-level tasks, into <c>files/SERVER</c> of the
/// cloud's directory, which stands for the target's root file system. It plays the part of the seeds' helper boot
/// of a real target.
/// </summary>
public sealed class LocalTargetReceiverLauncher : ITargetReceiverLauncher
{
    private readonly ILoggerFactory? _loggers;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the launcher.</summary>
    /// <param name="loggers">Loggers for the receivers, or <see langword="null"/>.</param>
    /// <param name="timeProvider">The receivers' clock.</param>
    public LocalTargetReceiverLauncher(ILoggerFactory? loggers = null, TimeProvider? timeProvider = null)
    {
        _loggers = loggers;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The directory of a local cloud's file trees.</summary>
    /// <param name="cloud">The cloud.</param>
    /// <returns>A path.</returns>
    public static string FilesRoot(LocalCloudProvider cloud)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        return Path.Combine(cloud.RootDirectory, "files");
    }

    /// <inheritdoc/>
    public bool Supports(ICloudProvider provider) => provider is LocalCloudProvider;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The provider is not a local cloud.</exception>
    public async Task<ITargetReceiver> StartAsync(ICloudProvider provider, CloudServer server, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        var cloud = provider as LocalCloudProvider ?? throw new ArgumentException("The local target receiver serves the local cloud only.", nameof(provider));
        var files = FilesRoot(cloud);
        Directory.CreateDirectory(files);
        var receiver = new ReplicationReceiver(
            new ReceiverOptions { VolumesDirectory = cloud.VolumesDirectory, FilesRoot = files },
            _loggers?.CreateLogger<ReplicationReceiver>(),
            _timeProvider);
        try
        {
            await receiver.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await receiver.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new Running(receiver, server.Id);
    }

    /// <inheritdoc/>
    public string? LocalTreeDirectory(ICloudProvider provider, CloudServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return provider is LocalCloudProvider cloud ? Path.Combine(FilesRoot(cloud), server.Id) : null;
    }

    private sealed class Running(ReplicationReceiver receiver, string serverId) : ITargetReceiver
    {
        public ReceiverPairing Pairing => receiver.Pairing;

        public string TreeName => serverId;

        public string VolumeName(string volumeId) => volumeId;

        // Disposing waits for the background flush of every volume, so snapshots and fix-ups after it see durable disks.
        public ValueTask DisposeAsync() => receiver.DisposeAsync();
    }
}
