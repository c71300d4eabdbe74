namespace Sms.Cloud.Local.Files;

/// <summary>
/// The layout of a local cloud's directory: <c>cloud.db</c>, <c>volumes/ID.img</c> (with the block receiver's
/// bookkeeping under <c>volumes/.sms/</c>), <c>snapshots/ID.img</c>, <c>images/ID.img</c> (or <c>.qcow2</c>) and
/// <c>.instances/</c>. Paths are only ever built from ids the store generated.
/// </summary>
internal sealed class LocalPaths
{
    /// <summary>Creates the layout under a directory (the directories are created).</summary>
    /// <param name="root">The directory.</param>
    public LocalPaths(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(VolumesDirectory);
        Directory.CreateDirectory(SnapshotsDirectory);
        Directory.CreateDirectory(ImagesDirectory);
        Directory.CreateDirectory(InstancesDirectory);
    }

    /// <summary>The directory.</summary>
    public string Root { get; }

    /// <summary>The SQLite store.</summary>
    public string Database => Path.Combine(Root, "cloud.db");

    /// <summary>The volume files' directory: the directory a block receiver writes into.</summary>
    public string VolumesDirectory => Path.Combine(Root, "volumes");

    /// <summary>The snapshot files' directory.</summary>
    public string SnapshotsDirectory => Path.Combine(Root, "snapshots");

    /// <summary>The image files' directory.</summary>
    public string ImagesDirectory => Path.Combine(Root, "images");

    /// <summary>The live instances' lock files.</summary>
    public string InstancesDirectory => Path.Combine(Root, ".instances");

    /// <summary>A volume's file.</summary>
    public string Volume(string volumeId) => Path.Combine(VolumesDirectory, volumeId + ".img");

    /// <summary>The block receiver's bookkeeping of a volume (<c>volumes/.sms/ID.json</c>).</summary>
    public string ReceiverState(string volumeId) => Path.Combine(VolumesDirectory, ".sms", volumeId + ".json");

    /// <summary>A snapshot's file.</summary>
    public string Snapshot(string snapshotId) => Path.Combine(SnapshotsDirectory, snapshotId + ".img");

    /// <summary>An image's file.</summary>
    public string Image(string imageId, string format) => Path.Combine(ImagesDirectory, imageId + "." + (format == "qcow2" ? "qcow2" : "img"));

    /// <summary>A file being written, renamed to <paramref name="path"/> when complete.</summary>
    public static string Partial(string path) => path + ".partial";

    /// <summary>Deletes a file if it exists; false when it could not be deleted.</summary>
    public static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (DirectoryNotFoundException)
        {
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
