namespace Sms.Fixups;

/// <summary>What kind of entry a path names.</summary>
public enum TargetEntryKind
{
    /// <summary>A regular file.</summary>
    File,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link.</summary>
    Symlink,

    /// <summary>A device node, FIFO or socket.</summary>
    Other,
}

/// <summary>One entry of a target file system, as <c>lstat</c> describes it.</summary>
public sealed record TargetEntry
{
    /// <summary>The entry's name in its directory (the last component of its path).</summary>
    /// <value>The name; "/" for the root.</value>
    public required string Name { get; init; }

    /// <summary>The kind.</summary>
    /// <value>File, directory, symbolic link or other.</value>
    public required TargetEntryKind Kind { get; init; }

    /// <summary>The permission bits, with set-user-id, set-group-id and sticky.</summary>
    /// <value>0 to 07777.</value>
    public int Mode { get; init; }

    /// <summary>The owner's user id.</summary>
    /// <value>The uid.</value>
    public uint Uid { get; init; }

    /// <summary>The group id.</summary>
    /// <value>The gid.</value>
    public uint Gid { get; init; }

    /// <summary>The size in bytes (for a symbolic link, the length of its text).</summary>
    /// <value>Bytes.</value>
    public long Size { get; init; }
}

/// <summary>Mode, owner and group to give a file or directory that is written; those left <see langword="null"/> are kept (or defaulted).</summary>
public sealed record TargetFileAttributes
{
    /// <summary>The permission bits.</summary>
    /// <value>0 to 07777, or <see langword="null"/>.</value>
    public int? Mode { get; init; }

    /// <summary>The owner's user id.</summary>
    /// <value>The uid, or <see langword="null"/>.</value>
    public uint? Uid { get; init; }

    /// <summary>The group id.</summary>
    /// <value>The gid, or <see langword="null"/>.</value>
    public uint? Gid { get; init; }

    /// <summary>The attributes of an existing entry, to give its replacement or its backup.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>Its mode, owner and group.</returns>
    public static TargetFileAttributes Of(TargetEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new TargetFileAttributes { Mode = entry.Mode, Uid = entry.Uid, Gid = entry.Gid };
    }

    /// <summary>The mode, owner and group that result from attributes over an existing entry (or the defaults).</summary>
    /// <param name="attributes">The attributes asked for, or <see langword="null"/>.</param>
    /// <param name="existing">The entry being replaced, or <see langword="null"/>.</param>
    /// <param name="defaultMode">The mode of a new entry.</param>
    /// <returns>Mode, uid and gid.</returns>
    internal static (int Mode, uint Uid, uint Gid) Resolve(TargetFileAttributes? attributes, TargetEntry? existing, int defaultMode)
    {
        var mode = attributes?.Mode ?? existing?.Mode ?? defaultMode;
        if (mode is < 0 or > 0xFFF)
        {
            throw new ArgumentOutOfRangeException(nameof(attributes), mode, "A mode is 0 to 07777.");
        }

        return (mode, attributes?.Uid ?? existing?.Uid ?? 0, attributes?.Gid ?? existing?.Gid ?? 0);
    }
}
