using Sms.Cloud;
using Sms.Replication;

namespace Sms.Migration;

/// <summary>
/// Brings up the replication receiver on a target server, writing into its volumes, and says how to reach it (the
/// seeds boot the target into a helper image with the agent on a temporary disk, and pass the certificate and token
/// in server metadata). One implementation per kind of cloud.
/// </summary>
public interface ITargetReceiverLauncher
{
    /// <summary>Whether this launcher can serve targets of <paramref name="provider"/>.</summary>
    /// <param name="provider">The cloud provider.</param>
    /// <returns><see langword="true"/> when it can.</returns>
    bool Supports(ICloudProvider provider);

    /// <summary>Starts (or finds running) a receiver for the target's volumes.</summary>
    /// <param name="provider">The cloud.</param>
    /// <param name="server">The target server, with its volumes.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running receiver: how to pair with it, and how each target volume is named on it.</returns>
    Task<ITargetReceiver> StartAsync(ICloudProvider provider, CloudServer server, CancellationToken cancellationToken = default);

    /// <summary>Where a file-level target's tree lies on this machine, for providers whose targets are local (the local cloud): the fix-ups use it.</summary>
    /// <param name="provider">The cloud.</param>
    /// <param name="server">The target server.</param>
    /// <returns>A directory, or <see langword="null"/> when the tree is only reachable on the target.</returns>
    string? LocalTreeDirectory(ICloudProvider provider, CloudServer server);
}

/// <summary>A running receiver on a target; dispose to stop it.</summary>
public interface ITargetReceiver : IAsyncDisposable
{
    /// <summary>How a source pairs with it (endpoint, pinned certificate fingerprint, token).</summary>
    /// <value>The pairing.</value>
    ReceiverPairing Pairing { get; }

    /// <summary>The name under which the receiver writes a target volume.</summary>
    /// <param name="volumeId">The volume.</param>
    /// <returns>The receiver's volume name.</returns>
    string VolumeName(string volumeId);

    /// <summary>The name of the file tree a file-level task writes into, on the receiver.</summary>
    /// <value>The tree name.</value>
    string TreeName { get; }
}
