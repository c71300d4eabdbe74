using Microsoft.Extensions.Logging;
using Sms.Cloud.Local.Files;
using Sms.Cloud.Local.Operations;
using Sms.Cloud.Local.Diagnostics;
using Sms.Cloud.Local.Store;

namespace Sms.Cloud.Local;

/// <summary>What the local cloud's services share: the directory, the store, the clock, the copier and the background work.</summary>
internal sealed class LocalCloudContext
{
    /// <summary>The directory layout.</summary>
    public required LocalPaths Paths { get; init; }

    /// <summary>The store.</summary>
    public required LocalCloudStore Store { get; init; }

    /// <summary>The clock.</summary>
    public required TimeProvider Time { get; init; }

    /// <summary>The logger.</summary>
    public required ILogger Logger { get; init; }

    /// <summary>The file copier.</summary>
    public required FileCloner Cloner { get; init; }

    /// <summary>The background work of long-running operations.</summary>
    public required OperationRunner Runner { get; init; }

    /// <summary>This provider instance (the owner of the operations it runs).</summary>
    public required string InstanceId { get; init; }

    /// <summary>The zones.</summary>
    public required IReadOnlyList<string> AvailabilityZones { get; init; }

    /// <summary>The format new images get: "raw", or "qcow2" when asked for and qemu-img is installed.</summary>
    public required string ImageFormat { get; init; }

    /// <summary>qemu-img, when installed.</summary>
    public string? QemuImgPath { get; init; }

    /// <summary>Whether copies are reflinks: asked for and supported by the file system.</summary>
    public bool Reflinks => Cloner.UseReflink;

    /// <summary>A test hook run before the work of every long-running operation, with its kind.</summary>
    public Func<string, CancellationToken, Task>? WorkGate { get; set; }

    /// <summary>Now.</summary>
    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>Whether a zone exists.</summary>
    public bool HasZone(string? zone) => zone is not null && AvailabilityZones.Contains(zone, StringComparer.Ordinal);

    /// <summary>A path relative to the directory, as operation rows record scratch files.</summary>
    public string Relative(string path) => Path.GetRelativePath(Paths.Root, path);

    /// <summary>A recorded scratch path, or <see langword="null"/> when it does not stay inside the directory.</summary>
    public string? Resolve(string relative)
    {
        var full = Path.GetFullPath(Path.Combine(Paths.Root, relative));
        return full.StartsWith(Paths.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full : null;
    }

    /// <summary>Deletes a file, logging when it cannot.</summary>
    public void Delete(string path)
    {
        if (!LocalPaths.TryDelete(path))
        {
            LocalCloudLog.FileNotDeleted(Logger, path);
        }
    }

    /// <summary>Copies a file (reflink or sparse copy) and logs how.</summary>
    /// <returns>How it was copied.</returns>
    public async Task<CopyMethod> CopyAsync(string source, string destination, long? length, CancellationToken cancellationToken)
    {
        var method = await Cloner.CopyAsync(source, destination, length, cancellationToken).ConfigureAwait(false);
        LocalCloudLog.FileCopied(Logger, source, destination, method);
        return method;
    }
}
