namespace Sms.Fixups;

/// <summary>
/// The target's root file system as the fix-ups see it. Paths are the target's own: absolute, starting with
/// <c>/</c> at the target's root, with <c>/</c> separators; <c>..</c> is refused. Symbolic links met on the way are
/// read as the target reads them (an absolute link starts again at the target's root), and a link that would climb
/// above the root is refused, so no operation ever reaches outside the target.
/// </summary>
/// <remarks>
/// Errors are <see cref="SmsException"/>s: <see cref="SmsErrorCode.InvalidName"/> for a refused path,
/// <see cref="SmsErrorCode.ResourceNotFound"/> for a missing one, <see cref="SmsErrorCode.TargetConfigurationFailed"/>
/// when the file system cannot be read or changed, <see cref="SmsErrorCode.ToolNotFound"/> when a tool it needs is
/// not installed. The file system is not meant to be changed by anyone else while the fix-ups run.
/// </remarks>
public interface ITargetFileSystem
{
    /// <summary>What this file system is, for reports and messages (for example "ext4 at byte 1048576 of disk0.img").</summary>
    /// <value>A short description.</value>
    string Description { get; }

    /// <summary>Reads a whole file, following symbolic links. Meant for configuration files.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The bytes.</returns>
    Task<byte[]> ReadFileAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// Describes the entry at a path without following a final symbolic link (as <c>lstat</c>), or returns
    /// <see langword="null"/> when nothing is there.
    /// </summary>
    /// <param name="path">The entry.</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    /// <returns>The entry, or <see langword="null"/>.</returns>
    Task<TargetEntry?> GetEntryAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Lists a directory (following symbolic links to it), without <c>.</c> and <c>..</c>.</summary>
    /// <param name="path">The directory.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The entries, in the order the file system keeps them.</returns>
    Task<IReadOnlyList<TargetEntry>> ListDirectoryAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a file, replacing it when it exists (a symbolic link is followed and its target replaced). The mode,
    /// owner and group given are set; those not given are kept from the file replaced, or are 0644 root:root for a
    /// new file. The directory must exist.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="content">The new content.</param>
    /// <param name="attributes">Mode, owner and group to set, or <see langword="null"/> to keep them.</param>
    /// <param name="cancellationToken">Cancels the write; a write cancelled half way leaves the old file in place.</param>
    /// <returns>A task.</returns>
    Task WriteFileAsync(string path, ReadOnlyMemory<byte> content, TargetFileAttributes? attributes = null, CancellationToken cancellationToken = default);

    /// <summary>Creates a directory (0755 root:root unless told otherwise); nothing happens when a directory is already there.</summary>
    /// <param name="path">The directory; its parent must exist.</param>
    /// <param name="attributes">Mode, owner and group, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the creation.</param>
    /// <returns>A task.</returns>
    Task CreateDirectoryAsync(string path, TargetFileAttributes? attributes = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes a file, or the symbolic link itself (never its target). Directories are refused.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the deletion.</param>
    /// <returns>A task.</returns>
    Task DeleteFileAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Reads what a symbolic link points to, as written in the link.</summary>
    /// <param name="path">The link.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The link's text.</returns>
    Task<string> ReadSymlinkAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Deletes a symbolic link; anything else at the path is refused.</summary>
    /// <param name="path">The link.</param>
    /// <param name="cancellationToken">Cancels the deletion.</param>
    /// <returns>A task.</returns>
    Task DeleteSymlinkAsync(string path, CancellationToken cancellationToken = default);
}
