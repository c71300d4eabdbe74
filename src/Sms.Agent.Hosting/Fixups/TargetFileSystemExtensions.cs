using System.Text;

namespace Sms.Fixups;

/// <summary>Conveniences over <see cref="ITargetFileSystem"/>.</summary>
public static class TargetFileSystemExtensions
{
    /// <summary>Whether anything (a dangling symbolic link included) is at the path.</summary>
    /// <param name="fileSystem">The file system.</param>
    /// <param name="path">The path.</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    /// <returns><see langword="true"/> when an entry exists.</returns>
    public static async Task<bool> ExistsAsync(this ITargetFileSystem fileSystem, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        return await fileSystem.GetEntryAsync(path, cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>Whether the path is a directory (a symbolic link to one is not).</summary>
    /// <param name="fileSystem">The file system.</param>
    /// <param name="path">The path.</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    /// <returns><see langword="true"/> for a directory.</returns>
    public static async Task<bool> IsDirectoryAsync(this ITargetFileSystem fileSystem, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        return await fileSystem.GetEntryAsync(path, cancellationToken).ConfigureAwait(false) is { Kind: TargetEntryKind.Directory };
    }

    /// <summary>
    /// Reads a configuration file as text, byte for byte: each byte is one character (ISO-8859-1), so that writing
    /// the text back with <see cref="WriteTextAsync"/> leaves every byte not edited as it was, whatever the file's encoding.
    /// </summary>
    /// <param name="fileSystem">The file system.</param>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The text.</returns>
    public static async Task<string> ReadTextAsync(this ITargetFileSystem fileSystem, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        return Encoding.Latin1.GetString(await fileSystem.ReadFileAsync(path, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Writes text read with <see cref="ReadTextAsync"/> (one byte per character, ISO-8859-1).</summary>
    /// <param name="fileSystem">The file system.</param>
    /// <param name="path">The file.</param>
    /// <param name="text">The text.</param>
    /// <param name="attributes">Mode, owner and group, or <see langword="null"/> to keep them.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    public static Task WriteTextAsync(this ITargetFileSystem fileSystem, string path, string text, TargetFileAttributes? attributes = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(text);
        return fileSystem.WriteFileAsync(path, Encoding.Latin1.GetBytes(text), attributes, cancellationToken);
    }
}
