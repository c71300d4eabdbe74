using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Sms.Blocks;

namespace Sms.Receiver;

/// <summary>
/// The receiver's volumes: <c>NAME.img</c> files in one directory, with their state under <c>.sms/</c>. Only plain
/// names are accepted; one session at a time per volume.
/// </summary>
public sealed partial class VolumeDirectory
{
    // A volume in use maps to a completion that is set when its lease ends (after the session's flush).
    private readonly NamedLeases _leases;
    private readonly TimeProvider _timeProvider;

    /// <summary>Opens (and creates) a volumes directory.</summary>
    /// <param name="directory">The directory.</param>
    /// <param name="timeProvider">The clock.</param>
    public VolumeDirectory(string directory, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Root = Path.GetFullPath(directory);
        Directory.CreateDirectory(Path.Combine(Root, ".sms"));
        _timeProvider = timeProvider ?? TimeProvider.System;
        _leases = new NamedLeases(_timeProvider, "Volume");
    }

    /// <summary>The directory.</summary>
    /// <value>A full path.</value>
    public string Root { get; }

    /// <summary>Whether a volume name is acceptable: 1–128 of letters, digits, '.', '_', '-', not starting with '.' and without "..".</summary>
    /// <param name="name">The name.</param>
    /// <returns><see langword="true"/> when acceptable.</returns>
    public static bool IsValidName(string? name)
        => name is not null && NamePattern().IsMatch(name) && !name.Contains("..", StringComparison.Ordinal);

    /// <summary>The path of a volume file.</summary>
    /// <param name="name">A valid name.</param>
    /// <returns>The path.</returns>
    /// <exception cref="ReplicationProtocolException">The name is not acceptable.</exception>
    public string VolumePath(string name)
    {
        if (!IsValidName(name))
        {
            throw new ReplicationProtocolException(SmsErrorCode.InvalidName, $"Refused volume name '{Printable(name)}': use 1-128 letters, digits, '.', '_' or '-', not starting with '.'.");
        }

        var path = Path.GetFullPath(Path.Combine(Root, name + ".img"));
        if (!path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ReplicationProtocolException(SmsErrorCode.InvalidName, $"Refused volume name '{Printable(name)}': it leaves the volumes directory.");
        }

        return path;
    }

    /// <summary>Reads a volume's state, or <see langword="null"/> when it has none or it is unreadable.</summary>
    /// <param name="name">A valid name.</param>
    /// <returns>The state.</returns>
    public VolumeState? ReadState(string name)
    {
        var path = StatePath(name);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllBytes(path), VolumeJsonContext.Default.VolumeState) : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Writes a volume's state atomically and durably.</summary>
    /// <param name="name">A valid name.</param>
    /// <param name="state">The state.</param>
    public void WriteState(string name, VolumeState state)
    {
        var path = StatePath(name);
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, state with { UpdatedAt = _timeProvider.GetUtcNow() }, VolumeJsonContext.Default.VolumeState);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>
    /// Reserves a volume for one session. A volume still held by an earlier session (one that is flushing, or whose
    /// source vanished and whose end the receiver has not noticed yet) is waited for, up to <paramref name="wait"/>.
    /// </summary>
    /// <param name="name">The name.</param>
    /// <param name="wait">How long to wait for an earlier session to let go.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A lease; pass it to <see cref="ReleaseAfterFlush"/> (or dispose it) to release the volume.</returns>
    /// <exception cref="ReplicationProtocolException">The name is not acceptable or the volume stayed busy.</exception>
    public async Task<IDisposable> AcquireAsync(string name, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        _ = VolumePath(name);
        return await _leases.AcquireAsync(name, wait, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends a session's use of a volume without making the source wait for the disk: the writes are flushed
    /// (fdatasync) in the background, then the state is marked clean and the volume released. Until then the state
    /// says "not clean on this boot": if the machine goes down first, the next session resets the volume rather
    /// than trust writes that may be lost.
    /// </summary>
    /// <param name="name">The volume name.</param>
    /// <param name="lease">The session's lease.</param>
    /// <param name="sink">The open volume; disposed after the flush.</param>
    /// <param name="state">The state to record once durable.</param>
    /// <returns>The background flush; the next <see cref="AcquireAsync"/> of the volume waits for it.</returns>
    public Task ReleaseAfterFlush(string name, IDisposable lease, FileBlockSink sink, VolumeState state)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(sink);
        return Task.Run(async () =>
        {
            try
            {
                sink.Flush();
                WriteState(name, state with { Clean = true });
            }
            catch (Exception ex) when (ex is SmsException or IOException or UnauthorizedAccessException)
            {
                // The state stays "not clean": a reboot before a later flush resets the volume. Nothing is lost.
                FlushFailed?.Invoke(name, ex);
            }
            finally
            {
                await sink.DisposeAsync().ConfigureAwait(false);
                lease.Dispose();
            }
        });
    }

    /// <summary>Completes when every volume in use now is released (after the sessions end, that is their flushes).</summary>
    /// <returns>A task.</returns>
    public Task WhenFlushedAsync()
    {
        return _leases.WhenReleasedAsync();
    }

    /// <summary>Raised when a background flush fails (the volume's state then stays not clean).</summary>
    public event Action<string, Exception>? FlushFailed;

    /// <summary>
    /// Opens a volume for a pass of a source of <paramref name="sourceLength"/> bytes: creates it when missing, and
    /// empties it (with a new volume id) when a reset is asked for or its content cannot be trusted to match the
    /// source's manifest.
    /// </summary>
    /// <param name="name">A valid, acquired name.</param>
    /// <param name="sourceLength">The source size.</param>
    /// <param name="reset">Whether the source asks for a full pass.</param>
    /// <param name="expectedVolumeId">The volume id of the source's manifest.</param>
    /// <returns>The opened sink, its state (marked in use) and why it was reset, if it was.</returns>
    /// <exception cref="SmsException">The volume is smaller than the source, or cannot be created.</exception>
    public (FileBlockSink Sink, VolumeState State, string? ResetReason) Open(string name, long sourceLength, bool reset, string? expectedVolumeId)
    {
        var path = VolumePath(name);
        string? reason = null;
        FileBlockSink sink;
        VolumeState? state = null;
        if (!File.Exists(path))
        {
            sink = FileBlockSink.Create(path, sourceLength);
            reason = "new volume";
        }
        else
        {
            sink = FileBlockSink.Open(path);
            if (sink.Length < sourceLength)
            {
                var length = sink.Length;
                sink.DisposeAsync().AsTask().GetAwaiter().GetResult();
                throw new SmsException(SmsErrorCode.TargetDiskTooSmall, $"Volume '{name}' is {length} bytes, smaller than the source's {sourceLength} bytes.");
            }

            state = ReadState(name);
            var bootId = LinuxNative.GetBootId();
            reason = reset ? "a full pass was asked for"
                : state is null ? "the volume has no replication state"
                : !string.Equals(state.VolumeId, expectedVolumeId, StringComparison.Ordinal) ? "the volume is not the one the source's manifest describes"
                : !state.Clean && !string.Equals(state.BootId, bootId, StringComparison.Ordinal) ? "the receiver restarted its machine during an unfinished pass"
                : null;
            if (reason is not null)
            {
                sink.Zero(new BlockRange(0, sink.Length));
            }
        }

        var opened = new VolumeState
        {
            VolumeId = reason is null ? state!.VolumeId : Guid.NewGuid().ToString("N"),
            BootId = LinuxNative.GetBootId(),
            Clean = false,
        };
        WriteState(name, opened);
        return (sink, opened, reason);
    }

    private string StatePath(string name)
    {
        _ = VolumePath(name);
        return Path.Combine(Root, ".sms", name + ".json");
    }

    private static string Printable(string? name)
        => name is null ? "(none)" : name.Length > 64 ? string.Concat(name.AsSpan(0, 64), "...") : name;

    [GeneratedRegex("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
    [JsonSerializable(typeof(VolumeState))]
    private sealed partial class VolumeJsonContext : JsonSerializerContext;
}
