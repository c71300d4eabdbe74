using System.ComponentModel.DataAnnotations;

namespace Sms.Cloud.Local;

/// <summary>
/// Options of the local cloud. Quotas are stored in the directory with the resources, so every provider instance on
/// it enforces the same ones: a quota set here replaces the stored one, a quota left <see langword="null"/> keeps it
/// (a new directory has none).
/// </summary>
public sealed class LocalCloudOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Sms:Cloud:Local";

    /// <summary>The most servers the directory may hold.</summary>
    /// <value><see langword="null"/> (the default) keeps the stored quota.</value>
    [Range(0, int.MaxValue)]
    public int? MaxServers { get; set; }

    /// <summary>The most volumes (system and data disks) the directory may hold.</summary>
    /// <value><see langword="null"/> (the default) keeps the stored quota.</value>
    [Range(0, int.MaxValue)]
    public int? MaxVolumes { get; set; }

    /// <summary>The most GiB all volumes together may have.</summary>
    /// <value><see langword="null"/> (the default) keeps the stored quota.</value>
    [Range(0, int.MaxValue)]
    public int? MaxVolumeGiB { get; set; }

    /// <summary>The most snapshots the directory may hold.</summary>
    /// <value><see langword="null"/> (the default) keeps the stored quota.</value>
    [Range(0, int.MaxValue)]
    public int? MaxSnapshots { get; set; }

    /// <summary>Whether snapshots, images and disks made from them are reflinks (FICLONE) where the file system supports it.</summary>
    /// <value><see langword="true"/> by default; <see langword="false"/> forces sparse full copies.</value>
    public bool UseReflink { get; set; } = true;

    /// <summary>The format of new images.</summary>
    /// <value><see cref="LocalImageFormat.Raw"/> by default.</value>
    public LocalImageFormat ImageFormat { get; set; } = LocalImageFormat.Raw;

    /// <summary>Where <c>qemu-img</c> is.</summary>
    /// <value><see langword="null"/> (the default) looks it up on PATH.</value>
    public string? QemuImgPath { get; set; }

    /// <summary>The availability zones servers and volumes may be created in.</summary>
    /// <value><c>local-1a</c> and <c>local-1b</c> by default.</value>
    [MinLength(1)]
    public IReadOnlyList<string> AvailabilityZones { get; set; } = ["local-1a", "local-1b"];

    /// <summary>How long a call waits for another writer (another thread, provider instance or process) to finish.</summary>
    /// <value>30 seconds by default.</value>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
