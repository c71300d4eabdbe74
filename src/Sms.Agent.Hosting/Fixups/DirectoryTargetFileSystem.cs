namespace Sms.Fixups;

/// <summary>
/// A target root file system mounted at a directory of this machine. Every path is resolved inside that directory,
/// one component at a time without letting the operating system follow any link: a symbolic link is read and its
/// target resolved from the target's root (absolute) or from the link's directory (relative), and one that would
/// climb above the root is refused.
/// </summary>
/// <remarks>
/// Writes go to a temporary file in the same directory that is renamed over the old one, so a failed write leaves the
/// old file. Setting an owner other than the current user needs privileges. Nothing else should change the tree
/// while the fix-ups run (a directory swapped for a link between the check and the use is not guarded against).
/// </remarks>
public sealed class DirectoryTargetFileSystem : ITargetFileSystem
{
    private const int TypeMask = 0xF000;
    private const int TypeDirectory = 0x4000;
    private const int TypeFile = 0x8000;
    private const int TypeSymlink = 0xA000;

    /// <summary>Opens a mounted root.</summary>
    /// <param name="rootDirectory">The directory the target's root is mounted at.</param>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public DirectoryTargetFileSystem(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootDirectory));
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"The target root '{rootDirectory}' is not a directory.");
        }

        RootDirectory = full.Length == 0 ? "/" : full;
    }

    /// <summary>The directory the target's root is mounted at.</summary>
    /// <value>A full path.</value>
    public string RootDirectory { get; }

    /// <inheritdoc />
    public string Description => $"the directory {RootDirectory}";

    /// <inheritdoc />
    public async Task<byte[]> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var resolved = await ResolveExistingAsync(path, followFinal: true, cancellationToken).ConfigureAwait(false);
        if (resolved.Entry!.Kind != TargetEntryKind.File)
        {
            throw Failed(path, $"it is a {Describe(resolved.Entry.Kind)}, not a file");
        }

        try
        {
            return await File.ReadAllBytesAsync(HostPath(resolved.Path), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Failed(path, ex.Message, ex);
        }
    }

    /// <inheritdoc />
    public async Task<TargetEntry?> GetEntryAsync(string path, CancellationToken cancellationToken = default)
    {
        var resolved = await ResolveAsync(path, followFinal: false, cancellationToken).ConfigureAwait(false);
        return resolved.Missing ? null : resolved.Entry;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TargetEntry>> ListDirectoryAsync(string path, CancellationToken cancellationToken = default)
    {
        var resolved = await ResolveExistingAsync(path, followFinal: true, cancellationToken).ConfigureAwait(false);
        if (resolved.Entry!.Kind != TargetEntryKind.Directory)
        {
            throw Failed(path, $"it is a {Describe(resolved.Entry.Kind)}, not a directory");
        }

        try
        {
            var entries = new List<TargetEntry>();
            foreach (var host in Directory.EnumerateFileSystemEntries(HostPath(resolved.Path)))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var name = Path.GetFileName(host);
                if (Stat(TargetPath.Combine(resolved.Path, name)) is { } entry)
                {
                    entries.Add(entry);
                }
            }

            return entries;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Failed(path, ex.Message, ex);
        }
    }

    /// <inheritdoc />
    public async Task WriteFileAsync(string path, ReadOnlyMemory<byte> content, TargetFileAttributes? attributes = null, CancellationToken cancellationToken = default)
    {
        var resolved = await ResolveParentExistsAsync(path, cancellationToken).ConfigureAwait(false);
        if (resolved.Entry is { Kind: not TargetEntryKind.File })
        {
            throw Failed(path, $"it is a {Describe(resolved.Entry.Kind)}; only files are replaced");
        }

        var (mode, uid, gid) = TargetFileAttributes.Resolve(attributes, resolved.Entry, 0x1A4);
        var host = HostPath(resolved.Path);
        var temporary = Path.Combine(Path.GetDirectoryName(host)!, $".{Path.GetFileName(host)}.sms-{Guid.NewGuid():N}");
        try
        {
            var stream = new FileStream(temporary, UnixFiles.CreateNewPrivate());
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            SetAttributes(temporary, mode, uid, gid);
            File.Move(temporary, host, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            TryDelete(temporary);
            if (ex is OperationCanceledException)
            {
                throw;
            }

            throw Failed(path, ex.Message, ex);
        }
    }

    /// <inheritdoc />
    public async Task CreateDirectoryAsync(string path, TargetFileAttributes? attributes = null, CancellationToken cancellationToken = default)
    {
        var resolved = await ResolveParentExistsAsync(path, cancellationToken).ConfigureAwait(false);
        if (resolved.Entry is { Kind: TargetEntryKind.Directory })
        {
            return;
        }

        if (resolved.Entry is not null)
        {
            throw Failed(path, $"a {Describe(resolved.Entry.Kind)} is in the way");
        }

        var (mode, uid, gid) = TargetFileAttributes.Resolve(attributes, null, 0x1ED);
        var host = HostPath(resolved.Path);
        try
        {
            UnixFiles.CreatePrivateDirectory(host);
            SetAttributes(host, mode, uid, gid);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Failed(path, ex.Message, ex);
        }
    }

    /// <inheritdoc />
    public async Task DeleteFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var resolved = await ResolveExistingAsync(path, followFinal: false, cancellationToken).ConfigureAwait(false);
        if (resolved.Entry!.Kind == TargetEntryKind.Directory)
        {
            throw Failed(path, "it is a directory");
        }

        Delete(path, resolved.Path);
    }

    /// <inheritdoc />
    public async Task<string> ReadSymlinkAsync(string path, CancellationToken cancellationToken = default)
    {
        var resolved = await ResolveExistingAsync(path, followFinal: false, cancellationToken).ConfigureAwait(false);
        if (resolved.Entry!.Kind != TargetEntryKind.Symlink)
        {
            throw Failed(path, $"it is a {Describe(resolved.Entry.Kind)}, not a symbolic link");
        }

        return ReadLink(resolved.Path);
    }

    /// <inheritdoc />
    public async Task DeleteSymlinkAsync(string path, CancellationToken cancellationToken = default)
    {
        var resolved = await ResolveExistingAsync(path, followFinal: false, cancellationToken).ConfigureAwait(false);
        if (resolved.Entry!.Kind != TargetEntryKind.Symlink)
        {
            throw Failed(path, $"it is a {Describe(resolved.Entry.Kind)}, not a symbolic link");
        }

        Delete(path, resolved.Path);
    }

    /// <inheritdoc />
    public override string ToString() => Description;

    private static string Describe(TargetEntryKind kind) => kind switch
    {
        TargetEntryKind.File => "file",
        TargetEntryKind.Directory => "directory",
        TargetEntryKind.Symlink => "symbolic link",
        _ => "device, FIFO or socket",
    };

    private static void SetAttributes(string host, int mode, uint uid, uint gid)
    {
        var current = NativeMethods.LStat(host) ?? throw new IOException($"'{host}' vanished while being written");
        if (current.Uid != uid || current.Gid != gid)
        {
            NativeMethods.LChown(host, uid, gid);
        }

        // After chown, which clears set-user-id and set-group-id.
        UnixFiles.SetMode(host, mode);
    }

    private static void TryDelete(string host)
    {
        try
        {
            File.Delete(host);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The temporary file is named so that it cannot be mistaken for configuration; nothing more to do.
        }
    }

    private static SmsException Failed(string path, string why, Exception? inner = null)
        => new(SmsErrorCode.TargetConfigurationFailed, $"The target path '{path}' cannot be used: {why}.", inner);

    private void Delete(string path, string resolved)
    {
        try
        {
            File.Delete(HostPath(resolved));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Failed(path, ex.Message, ex);
        }
    }

    private string HostPath(string resolved) => resolved == "/" ? RootDirectory : RootDirectory.TrimEnd('/') + resolved;

    private TargetEntry? Stat(string resolved)
    {
        var stat = NativeMethods.LStat(HostPath(resolved));
        if (stat is not { } s)
        {
            return null;
        }

        var kind = (s.Mode & TypeMask) switch
        {
            TypeDirectory => TargetEntryKind.Directory,
            TypeFile => TargetEntryKind.File,
            TypeSymlink => TargetEntryKind.Symlink,
            _ => TargetEntryKind.Other,
        };
        return new TargetEntry { Name = TargetPath.Name(resolved), Kind = kind, Mode = s.Mode & 0xFFF, Uid = s.Uid, Gid = s.Gid, Size = s.Size };
    }

    private string ReadLink(string resolved)
        => new FileInfo(HostPath(resolved)).LinkTarget ?? throw Failed(resolved, "it is no longer a symbolic link");

    private async Task<TargetPath.Resolved> ResolveAsync(string path, bool followFinal, CancellationToken cancellationToken)
    {
        try
        {
            return await TargetPath.ResolveAsync(
                path,
                followFinal,
                (p, _) => Task.FromResult(Stat(p)),
                (p, _) => Task.FromResult(ReadLink(p)),
                cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw Failed(path, ex.Message, ex);
        }
    }

    private async Task<TargetPath.Resolved> ResolveExistingAsync(string path, bool followFinal, CancellationToken cancellationToken)
    {
        var resolved = await ResolveAsync(path, followFinal, cancellationToken).ConfigureAwait(false);
        return resolved.Missing || resolved.Entry is null ? throw TargetPath.NotFound(path, Description) : resolved;
    }

    private async Task<TargetPath.Resolved> ResolveParentExistsAsync(string path, CancellationToken cancellationToken)
    {
        var resolved = await ResolveAsync(path, followFinal: true, cancellationToken).ConfigureAwait(false);
        if (resolved.Missing)
        {
            throw new SmsException(SmsErrorCode.ResourceNotFound, $"Cannot write '{path}' on the target ({Description}): the directory '{resolved.Path}' does not exist.");
        }

        if (resolved.Path == "/")
        {
            throw Failed(path, "it is the root");
        }

        return resolved;
    }
}
