namespace Sms.Fixups;

/// <summary>
/// Backups of the files the fix-ups rewrite or delete: <c>NAME.sms-backup</c> beside the original, where whatever
/// reads the directory takes only some names (<c>*.yaml</c> in netplan, <c>*.rules</c> in udev, one file such as
/// fstab); in a directory whose every file is read (<c>network-scripts</c>, <c>interfaces.d</c>,
/// NetworkManager's connections), in a sibling directory <c>DIR.sms-backup/NAME</c>, because a backup there would be
/// read as configuration too. A backup that exists is kept: it holds the source's original from the first run.
/// </summary>
internal static class FixupBackups
{
    /// <summary>The suffix of backups.</summary>
    public const string Suffix = ".sms-backup";

    private static readonly string[] WholeDirectories =
    [
        "/etc/sysconfig/network-scripts",
        "/etc/sysconfig/network",
        "/etc/network/interfaces.d",
        "/etc/NetworkManager/system-connections",
    ];

    /// <summary>Where the backup of a file goes.</summary>
    /// <param name="path">The file (as the file system that holds it names it).</param>
    /// <returns>The backup's path and the directory to create for it, if any.</returns>
    public static (string Path, string? Directory) PathFor(string path)
    {
        var directory = TargetPath.Parent(path);
        if (WholeDirectories.Contains(directory, StringComparer.Ordinal))
        {
            var sibling = directory + Suffix;
            return (TargetPath.Combine(sibling, TargetPath.Name(path)), sibling);
        }

        return (path + Suffix, null);
    }

    /// <summary>Backs up a file's original content, with its mode, owner and group, unless a backup is there already.</summary>
    /// <param name="fileSystem">The file system holding the file.</param>
    /// <param name="path">The file, as that file system names it.</param>
    /// <param name="original">The original content.</param>
    /// <param name="entry">The original's entry (a link's backup gets the defaults).</param>
    /// <param name="context">Where the backup is recorded.</param>
    /// <param name="mountPoint">Where the file system is mounted on the target ("" for the root, "/boot" for a separate /boot), for the record.</param>
    /// <param name="cancellationToken">Cancels the backup.</param>
    /// <returns>The backup's path as the target sees it.</returns>
    public static async Task<string> BackUpAsync(
        ITargetFileSystem fileSystem, string path, ReadOnlyMemory<byte> original, TargetEntry entry, FixupContext context, string mountPoint, CancellationToken cancellationToken)
    {
        var (backup, directory) = PathFor(path);
        var shownBackup = mountPoint + backup;
        if (await fileSystem.GetEntryAsync(backup, cancellationToken).ConfigureAwait(false) is not null)
        {
            return shownBackup;
        }

        if (directory is not null)
        {
            await fileSystem.CreateDirectoryAsync(directory, new TargetFileAttributes { Mode = 0x1C0 }, cancellationToken).ConfigureAwait(false);
        }

        await fileSystem.WriteFileAsync(backup, original, entry.Kind == TargetEntryKind.File ? TargetFileAttributes.Of(entry) : null, cancellationToken).ConfigureAwait(false);
        context.RecordChange(shownBackup, FixupAction.Created, $"backup of {mountPoint + path} as it was on the source");
        return shownBackup;
    }
}
