using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sms.Diagnostics;
using Sms.Files.Manifest;
using Sms.Files.Native;
using Sms.Files.Source;
using Sms.Files.Wire;
using Sms.Protocol;
using Sms.Receiver;
using Sms.Replication;
using Sms.Transport;

namespace Sms.Files;

/// <summary>
/// The source side of file-level replication. A pass walks a directory tree in parallel and sends, over the same TLS
/// transport and receiver as block replication, every entry with its metadata: directories, regular files (small ones
/// batched into large frames, large ones in pipelined chunks, holes kept), symbolic links verbatim, hard links as
/// links, FIFOs and device nodes, modes, owners, nanosecond times and extended attributes (POSIX ACLs included). A
/// manifest in the state directory records what the target has, so later passes send only what changed (only the
/// changed chunks of large files), delete what vanished and apply metadata-only changes, without reading the target.
/// </summary>
public sealed class FileReplicator
{
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a replicator.</summary>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public FileReplicator(ILogger<FileReplicator>? logger = null, TimeProvider? timeProvider = null)
    {
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// Runs one pass: full when the target tree is new or was reset (or there is no manifest), incremental otherwise;
    /// a pass cut short earlier resumes without resending what the target acknowledged.
    /// </summary>
    /// <param name="sourceDirectory">The directory to replicate (<c>/</c> for a whole live system).</param>
    /// <param name="pairing">The receiver to send to.</param>
    /// <param name="tree">The tree name on the receiver: the files go to its files root's <c>TREE</c> directory.</param>
    /// <param name="stateDirectory">Where the manifest is kept between passes; <see langword="null"/> for a one-off full pass.</param>
    /// <param name="settings">The settings; <see langword="null"/> for the defaults.</param>
    /// <param name="progress">Receives snapshots about four times a second.</param>
    /// <param name="cancellationToken">Cancels the pass; what was acknowledged stays acknowledged.</param>
    /// <returns>What the pass did.</returns>
    /// <exception cref="ArgumentException">The tree name or an exclusion pattern is not acceptable.</exception>
    /// <exception cref="SmsException">
    /// The source is not a readable directory (<see cref="SmsErrorCode.SourceReadFailed"/>), the connection broke
    /// (<see cref="SmsErrorCode.ConnectionLost"/>, transient: run again to resume), or the receiver refused the session
    /// or an entry (<see cref="ReplicationProtocolException"/>, for example <see cref="SmsErrorCode.InvalidName"/>).
    /// </exception>
    public async Task<FileReplicationResult> ReplicateAsync(
        string sourceDirectory,
        ReceiverPairing pairing,
        string tree,
        string? stateDirectory,
        FileReplicationSettings? settings = null,
        IProgress<ReplicationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceDirectory);
        ArgumentNullException.ThrowIfNull(pairing);
        if (!VolumeDirectory.IsValidName(tree))
        {
            throw new ArgumentException($"'{tree}' is not a valid tree name: use 1-128 letters, digits, '.', '_' or '-', not starting with '.'.", nameof(tree));
        }

        if (!OperatingSystem.IsLinux() || !Environment.Is64BitProcess)
        {
            throw new PlatformNotSupportedException("File-level replication needs 64-bit Linux.");
        }

        settings ??= new FileReplicationSettings();
        settings.Validate();
        string? tempState = null;
        if (stateDirectory is null)
        {
            tempState = Directory.CreateTempSubdirectory("sms-files-state-").FullName;
            stateDirectory = tempState;
        }

        try
        {
            using var pass = new FilePass(this, SourceRoot.Resolve(sourceDirectory), pairing, tree, Path.GetFullPath(stateDirectory), settings);
            return await pass.RunAsync(progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (tempState is not null)
            {
                Directory.Delete(tempState, recursive: true);
            }
        }
    }

    internal ILogger Logger => _logger;

    internal TimeProvider TimeProvider => _timeProvider;

    internal static SmsException Broken(IOException ex, string when)
        => new(SmsErrorCode.ConnectionLost, $"The connection to the receiver broke {when}: {ex.Message.TrimEnd('.')}. Run the same command again to resume; acknowledged files are not sent again.", ex) { IsTransient = true };

    internal static async Task SwallowAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Reported through FirstRealError.
        }
    }

    internal static Exception? FirstRealError(params Task[] tasks)
    {
        Exception? cancelled = null;
        foreach (var task in tasks)
        {
            if (task.Exception is null)
            {
                continue;
            }

            foreach (var inner in task.Exception.Flatten().InnerExceptions)
            {
                if (inner is not OperationCanceledException)
                {
                    return inner;
                }

                cancelled ??= inner;
            }
        }

        return cancelled;
    }

    internal static void Rethrow(Exception error) => ExceptionDispatchInfo.Throw(error);
}
