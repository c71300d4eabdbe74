using Microsoft.Win32.SafeHandles;

namespace Sms.Cloud.Local.Files;

/// <summary>
/// Marks a provider instance as alive: an exclusively locked file <c>.instances/ID.lock</c> held while the instance is
/// open. A running operation whose owner's lock can be taken belongs to an instance that is gone (a process that was
/// killed, say), so it will never finish and is reported failed.
/// </summary>
internal sealed class InstanceLock : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly string _path;

    private InstanceLock(string instanceId, string path, SafeFileHandle handle)
    {
        InstanceId = instanceId;
        _path = path;
        _handle = handle;
    }

    /// <summary>The instance id.</summary>
    public string InstanceId { get; }

    /// <summary>Takes the lock of a new instance.</summary>
    /// <param name="directory">The <c>.instances</c> directory.</param>
    /// <returns>The held lock.</returns>
    /// <exception cref="IOException">The lock file cannot be created or locked.</exception>
    public static InstanceLock Acquire(string directory)
    {
        Directory.CreateDirectory(directory);
        var id = Guid.NewGuid().ToString("N");
        var path = Path.Combine(directory, id + ".lock");
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        if (!LocalFileNative.TryLockExclusive(handle))
        {
            handle.Dispose();
            throw new IOException($"Cannot lock '{path}'.");
        }

        return new InstanceLock(id, path, handle);
    }

    /// <summary>Whether the instance <paramref name="instanceId"/> still holds its lock.</summary>
    /// <param name="directory">The <c>.instances</c> directory.</param>
    /// <param name="instanceId">The instance.</param>
    /// <returns><see langword="false"/> when it is gone.</returns>
    public static bool IsAlive(string directory, string instanceId)
    {
        if (instanceId.Length == 0 || instanceId.Contains('/', StringComparison.Ordinal) || instanceId.Contains('.', StringComparison.Ordinal))
        {
            return false;
        }

        var path = Path.Combine(directory, instanceId + ".lock");
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true; // .NET's own advisory lock refused us: the owner holds it
        }

        using (handle)
        {
            if (!LocalFileNative.TryLockExclusive(handle))
            {
                return true;
            }
        }

        TryDelete(path);
        return false;
    }

    /// <summary>Releases the lock and deletes its file.</summary>
    public void Dispose()
    {
        TryDelete(_path);
        _handle.Dispose();
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Someone else cleans it up; a stale lock file is only ever read as "gone".
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
