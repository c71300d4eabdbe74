using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using Sms.Blocks;
using Sms.Files.Native;
using Sms.Receiver;

namespace Sms.Files.Target;

/// <summary>
/// A receiver's files root: one directory per tree, its state under <c>.sms/</c>, one session at a time per tree. A
/// tree whose content cannot be trusted to match the source's manifest (new, reset, another id, written on a boot
/// that ended before a flush) is emptied and given a new id; the source then makes a full pass.
/// </summary>
internal sealed class FileTrees
{
    private static readonly ConcurrentDictionary<string, FileTrees> Roots = new(StringComparer.Ordinal);
    private readonly NamedLeases _leases;
    private readonly ConcurrentDictionary<string, long> _generations = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;

    private FileTrees(string root, TimeProvider timeProvider)
    {
        Root = root;
        _timeProvider = timeProvider;
        _leases = new NamedLeases(timeProvider, "Tree");
        Directory.CreateDirectory(Path.Combine(root, ".sms"));
    }

    public string Root { get; }

    /// <summary>The trees of a files root (one instance per directory in the process, so leases hold across receivers).</summary>
    public static FileTrees For(string filesRoot, TimeProvider timeProvider)
        => Roots.GetOrAdd(Path.GetFullPath(filesRoot), static (root, time) => new FileTrees(root, time), timeProvider);

    /// <summary>Reserves a tree for one session, waiting up to <paramref name="wait"/> for an earlier one.</summary>
    /// <exception cref="ReplicationProtocolException">The tree stayed busy (<see cref="SmsErrorCode.VolumeBusy"/>).</exception>
    public async Task<IDisposable> AcquireAsync(string name, TimeSpan wait, CancellationToken cancellationToken)
    {
        var lease = await _leases.AcquireAsync(name, wait, cancellationToken).ConfigureAwait(false);
        _generations.AddOrUpdate(name, 1, static (_, g) => g + 1);
        return lease;
    }

    /// <summary>Opens a tree for a pass, resetting it when its content cannot be trusted.</summary>
    /// <returns>The tree's root directory, its state (marked in use) and why it was reset, if it was.</returns>
    /// <exception cref="ReplicationProtocolException">The tree's directory is a symbolic link (<see cref="SmsErrorCode.InvalidName"/>).</exception>
    public (SafeFileHandle Root, TreeState State, string? ResetReason) Open(string name, bool reset, string? expectedId, long? expectedGeneration)
    {
        var root = OpenTreeDirectory(name);
        try
        {
            var state = ReadState(name);
            var bootId = LinuxNative.GetBootId();
            var reason = reset ? "a full pass was asked for"
                : state is null ? "the tree has no replication state"
                : !string.Equals(state.TreeId, expectedId, StringComparison.Ordinal) ? "the tree is not the one the source's manifest describes"
                : expectedGeneration is { } generation && generation != state.Generation ? $"the source's manifest describes pass {generation} of the tree, which has completed {state.Generation}"
                : !state.Clean && !string.Equals(state.BootId, bootId, StringComparison.Ordinal) ? "the receiver restarted its machine during an unfinished pass"
                : null;
            if (reason is not null)
            {
                TreeRemover.Empty((int)root.DangerousGetHandle(), name);
            }

            var opened = new TreeState
            {
                TreeId = reason is null ? state!.TreeId : Guid.NewGuid().ToString("N"),
                Generation = reason is null ? state!.Generation : 0,
                BootId = bootId,
                Clean = false,
            };

            // "Not clean on this boot" must be on disk before anything is written; when it already is (an earlier
            // session of this boot left it so), there is nothing to write.
            if (reason is not null || state is null || state.Clean || !string.Equals(state.BootId, bootId, StringComparison.Ordinal))
            {
                WriteState(name, opened);
            }

            return (root, opened, reason);
        }
        catch
        {
            root.Dispose();
            throw;
        }
    }

    /// <summary>Records that a pass completed (not durably: a crash of this machine resets the tree anyway).</summary>
    public void Completed(string name, TreeState state) => WriteState(name, state, durable: false);

    /// <summary>
    /// After a session: makes the tree durable (syncfs) in the background, then marks it clean, unless another
    /// session started on it meanwhile. The next session does not wait for the flush.
    /// </summary>
    public Task FlushInBackground(string name, TreeState state, Action<string, Exception>? failed)
    {
        var generation = _generations.GetValueOrDefault(name);
        return Task.Run(() =>
        {
            try
            {
                using var root = OpenTreeDirectory(name);
                if (FileNative.SyncFs((int)root.DangerousGetHandle()) != 0)
                {
                    throw new IOException($"syncfs failed: {Errno.Describe(FileNative.Errno)}");
                }

                lock (_leases.Gate)
                {
                    if (_generations.GetValueOrDefault(name) == generation && !_leases.IsHeld(name))
                    {
                        WriteState(name, state with { Clean = true });
                    }
                }
            }
            catch (Exception ex) when (ex is SmsException or IOException or UnauthorizedAccessException)
            {
                failed?.Invoke(name, ex);
            }
        });
    }

    /// <summary>
    /// Opens the tree's trash (<c>.sms/trash/TREE</c>, on the same file system as the tree), where removed directories
    /// go to be deleted in the background, and starts removing what earlier sessions left there.
    /// </summary>
    public SafeFileHandle? OpenTrash(string name)
    {
        try
        {
            var path = Path.Combine(Root, ".sms", "trash", name);
            Directory.CreateDirectory(path);
            var handle = OpenDirectory(path);
            var leftovers = Directory.GetFileSystemEntries(path);
            if (leftovers.Length > 0)
            {
                var added = false;
                handle.DangerousAddRef(ref added);
                _ = Task.Run(() =>
                {
                    try
                    {
                        foreach (var leftover in leftovers)
                        {
                            RemoveQuietly((int)handle.DangerousGetHandle(), Path.GetFileName(leftover));
                        }
                    }
                    finally
                    {
                        handle.DangerousRelease();
                    }
                });
            }

            return handle;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // deletions happen in place
        }
    }

    private static unsafe SafeFileHandle OpenDirectory(string path)
    {
        Span<byte> bytes = stackalloc byte[RawPath.MaxLength + 2];
        RawPath.WriteNullTerminated(RawPath.FromText(path), bytes);
        fixed (byte* p = bytes)
        {
            var fd = FileNative.Open(p, FileNative.ORdOnly | FileNative.ODirectory | FileNative.OCloExec, 0);
            if (fd < 0)
            {
                throw new IOException($"Cannot open '{path}': {Errno.Describe(FileNative.Errno)}");
            }

            return new SafeFileHandle(fd, ownsHandle: true);
        }
    }

    private static unsafe void RemoveQuietly(int dirFd, string name)
    {
        try
        {
            fixed (byte* n = TreeRemover.NameBytes(name))
            {
                TreeRemover.Remove(dirFd, n, ".sms/trash/" + name);
            }
        }
        catch (SmsException)
        {
            // Tried again by the next session.
        }
    }

    private unsafe SafeFileHandle OpenTreeDirectory(string name)
    {
        Span<byte> rootPath = stackalloc byte[RawPath.MaxLength + 2];
        RawPath.WriteNullTerminated(RawPath.FromText(Root), rootPath);
        Span<byte> nameBytes = stackalloc byte[RawPath.MaxNameLength + 1];
        RawPath.WriteNullTerminated(name, nameBytes);
        fixed (byte* r = rootPath)
        fixed (byte* n = nameBytes)
        {
            var parent = FileNative.Open(r, FileNative.ORdOnly | FileNative.ODirectory | FileNative.OCloExec, 0);
            if (parent < 0)
            {
                NativeErrors.ThrowTarget("open the files root", Root, FileNative.Errno);
            }

            try
            {
                for (var attempt = 0; ; attempt++)
                {
                    var fd = FileNative.OpenAt(parent, n, FileNative.ORdOnly | FileNative.ODirectory | FileNative.ONoFollow | FileNative.OCloExec, 0);
                    if (fd >= 0)
                    {
                        return new SafeFileHandle(fd, ownsHandle: true);
                    }

                    var errno = FileNative.Errno;
                    if (errno == Errno.ENOENT && attempt == 0)
                    {
                        if (FileNative.MkDirAt(parent, n, 0x1ED) != 0 && FileNative.Errno != Errno.EEXIST)
                        {
                            NativeErrors.ThrowTarget("create the tree", name, FileNative.Errno);
                        }

                        continue;
                    }

                    if (errno is Errno.ELOOP or Errno.ENOTDIR)
                    {
                        throw new ReplicationProtocolException(SmsErrorCode.InvalidName, $"Refused tree '{name}': it is a symbolic link or not a directory in the files root.");
                    }

                    NativeErrors.ThrowTarget("open the tree", name, errno);
                }
            }
            finally
            {
                FileNative.CloseQuietly(parent);
            }
        }
    }

    private TreeState? ReadState(string name)
    {
        var path = StatePath(name);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllBytes(path), TreeStateJsonContext.Default.TreeState) : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void WriteState(string name, TreeState state, bool durable = true)
    {
        var path = StatePath(name);
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, state with { UpdatedAt = _timeProvider.GetUtcNow() }, TreeStateJsonContext.Default.TreeState);
            stream.Flush(flushToDisk: durable);
        }

        File.Move(temp, path, overwrite: true);
    }

    private string StatePath(string name)
    {
        if (!VolumeDirectory.IsValidName(name))
        {
            throw new ReplicationProtocolException(SmsErrorCode.InvalidName, $"Refused tree name '{RawPath.Display(RawPath.FromText(name))}'.");
        }

        return Path.Combine(Root, ".sms", name + ".files.json");
    }
}
