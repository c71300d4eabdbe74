using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Sms.Fixups;

/// <summary>Settings of an <see cref="Ext4ImageFileSystem"/>.</summary>
public sealed record Ext4ImageFileSystemOptions
{
    /// <summary>The <c>debugfs</c> to run.</summary>
    /// <value>Default <see langword="null"/>: looked for on PATH, then in /usr/sbin and /sbin.</value>
    public string? DebugfsPath { get; init; }

    /// <summary>How long one debugfs run may take before it is killed.</summary>
    /// <value>Default 2 minutes.</value>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Whether a journal left with transactions not written back (by a crash, or by a copy of a running system) is
    /// replayed before the first operation, as the kernel would at mount. When not, such a file system can be read
    /// (as it is on disk) but every change is refused, since the replay at the next mount would undo it.
    /// </summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool ReplayJournal { get; init; } = true;
}

/// <summary>
/// An ext2/3/4 file system inside a raw image file, at a byte offset (a partition of a disk image), read and changed
/// without mounting it, through e2fsprogs' <c>debugfs</c>. Paths resolve as <see cref="ITargetFileSystem"/> says,
/// symbolic links included (read with debugfs, followed by this class, never by debugfs).
/// </summary>
/// <remarks>
/// <para>
/// A file is replaced in two debugfs runs: the new content is written under a temporary name in the same directory
/// and given its mode, owner, group and the old file's extended attributes (SELinux labels, ACLs); then the old
/// file is removed and the new one linked under its name. A failure in the first run leaves the old file untouched.
/// The replacement is a new inode: other hard links to the old file keep the old content.
/// </para>
/// <para>
/// Before the first operation the journal is checked: transactions not yet written back are replayed, as the kernel
/// does at mount (see <see cref="Ext4ImageFileSystemOptions.ReplayJournal"/>), because replaying them after the
/// changes would undo them. One operation at a time; nothing else may use the image meanwhile.
/// </para>
/// </remarks>
public sealed class Ext4ImageFileSystem : ITargetFileSystem
{
    private const int SuperblockAt = 1024;
    private const ushort ExtMagic = 0xEF53;
    private const uint JournalMagic = 0xC03B3998;
    private const uint CompatHasJournal = 0x4;
    private const uint IncompatRecover = 0x4;
    private const uint IncompatJournalDev = 0x8;

    private readonly Debugfs _debugfs;
    private readonly bool _replayJournal;
    private readonly Dictionary<string, List<TargetEntry>> _listings = new(StringComparer.Ordinal);
    private bool _journalChecked;

    /// <summary>Opens the file system at a byte offset of an image.</summary>
    /// <param name="imagePath">The raw image (a disk or partition image, or a block device).</param>
    /// <param name="offset">The file system's first byte: the partition's start, 0 for a file-system image.</param>
    /// <param name="options">Where debugfs is and how long it may take.</param>
    /// <exception cref="SmsException">The image path holds '?', which debugfs would read as its options (<see cref="SmsErrorCode.InvalidName"/>).</exception>
    public Ext4ImageFileSystem(string imagePath, long offset = 0, Ext4ImageFileSystemOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagePath);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        options ??= new Ext4ImageFileSystemOptions();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Timeout, TimeSpan.Zero, nameof(options));
        if (imagePath.Contains('?', StringComparison.Ordinal))
        {
            throw new SmsException(SmsErrorCode.InvalidName, $"The image path '{imagePath}' holds '?', which debugfs reads as the start of its options; rename or link the image.");
        }

        ImagePath = Path.GetFullPath(imagePath);
        Offset = offset;
        _debugfs = new Debugfs(ImagePath, offset, options.DebugfsPath, options.Timeout);
        _replayJournal = options.ReplayJournal;
    }

    /// <summary>The image.</summary>
    /// <value>A full path.</value>
    public string ImagePath { get; }

    /// <summary>The file system's first byte in the image.</summary>
    /// <value>Bytes.</value>
    public long Offset { get; }

    /// <summary>How many journal transactions were replayed before the first operation.</summary>
    /// <value>0 when the journal was empty (or is not replayed).</value>
    public int ReplayedTransactions { get; private set; }

    /// <inheritdoc />
    public string Description => $"the ext2/3/4 file system at byte {Offset.ToString(CultureInfo.InvariantCulture)} of {ImagePath}";

    /// <inheritdoc />
    public async Task<byte[]> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        await EnsureJournalAsync(forChange: false, cancellationToken).ConfigureAwait(false);
        var resolved = await ResolveExistingAsync(path, followFinal: true, cancellationToken).ConfigureAwait(false);
        if (resolved.Entry!.Kind != TargetEntryKind.File)
        {
            throw Failed(path, $"it is a {resolved.Entry.Kind.ToString().ToLowerInvariant()}, not a file");
        }

        var bytes = await _debugfs.RequestAsync("cat " + Debugfs.Quote(resolved.Path, path), path, cancellationToken).ConfigureAwait(false);
        if (bytes.Length != resolved.Entry.Size)
        {
            throw Failed(path, $"debugfs returned {bytes.Length} bytes of a {resolved.Entry.Size}-byte file");
        }

        return bytes;
    }

    /// <inheritdoc />
    public async Task<TargetEntry?> GetEntryAsync(string path, CancellationToken cancellationToken = default)
    {
        await EnsureJournalAsync(forChange: false, cancellationToken).ConfigureAwait(false);
        var resolved = await ResolveAsync(path, followFinal: false, cancellationToken).ConfigureAwait(false);
        return resolved.Missing ? null : resolved.Entry;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TargetEntry>> ListDirectoryAsync(string path, CancellationToken cancellationToken = default)
    {
        await EnsureJournalAsync(forChange: false, cancellationToken).ConfigureAwait(false);
        var resolved = await ResolveExistingAsync(path, followFinal: true, cancellationToken).ConfigureAwait(false);
        if (resolved.Entry!.Kind != TargetEntryKind.Directory)
        {
            throw Failed(path, $"it is a {resolved.Entry.Kind.ToString().ToLowerInvariant()}, not a directory");
        }

        var listing = await ListAsync(resolved.Path, cancellationToken).ConfigureAwait(false);
        return listing.Where(static e => e.Name is not "." and not "..").ToList();
    }

    /// <inheritdoc />
    public async Task WriteFileAsync(string path, ReadOnlyMemory<byte> content, TargetFileAttributes? attributes = null, CancellationToken cancellationToken = default)
    {
        await EnsureJournalAsync(forChange: true, cancellationToken).ConfigureAwait(false);
        var resolved = await ResolveForCreateAsync(path, cancellationToken).ConfigureAwait(false);
        if (resolved.Entry is { Kind: not TargetEntryKind.File })
        {
            throw Failed(path, $"it is a {resolved.Entry.Kind.ToString().ToLowerInvariant()}; only files are replaced");
        }

        var (mode, uid, gid) = TargetFileAttributes.Resolve(attributes, resolved.Entry, 0x1A4);
        var directory = TargetPath.Parent(resolved.Path);
        var temporaryName = ".sms-tmp-" + Guid.NewGuid().ToString("N")[..16];
        var temporary = TargetPath.Combine(directory, temporaryName);
        var quoted = Debugfs.Quote(resolved.Path, path);
        var quotedTemporary = Debugfs.Quote(temporary, path);
        var hostFiles = new List<string>();
        try
        {
            var contentFile = await HostFileAsync(content, hostFiles, cancellationToken).ConfigureAwait(false);
            var first = new List<string>
            {
                "cd " + Debugfs.Quote(directory, path),
                $"write {Debugfs.Quote(contentFile, path)} {Debugfs.Quote(temporaryName, path)}",
                $"sif {quotedTemporary} mode 0{Convert.ToString(0x8000 | mode, 8)}",
                $"sif {quotedTemporary} uid {uid.ToString(CultureInfo.InvariantCulture)}",
                $"sif {quotedTemporary} gid {gid.ToString(CultureInfo.InvariantCulture)}",
            };
            if (resolved.Entry is not null)
            {
                foreach (var (name, valueFile) in await SaveAttributesAsync(resolved.Path, path, hostFiles, cancellationToken).ConfigureAwait(false))
                {
                    first.Add($"ea_set -f {Debugfs.Quote(valueFile, path)} {quotedTemporary} {Debugfs.Quote(name, path)}");
                }
            }

            _listings.Remove(directory);
            try
            {
                await _debugfs.RunScriptAsync(first, path, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SmsException or OperationCanceledException)
            {
                await TryRemoveAsync(temporary).ConfigureAwait(false);
                throw;
            }

            var second = new List<string>();
            if (resolved.Entry is not null)
            {
                second.Add("rm " + quoted);
            }

            second.Add($"ln {quotedTemporary} {quoted}");
            second.Add("unlink " + quotedTemporary);
            await _debugfs.RunScriptAsync(second, path, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _listings.Remove(directory);
            foreach (var file in hostFiles)
            {
                File.Delete(file);
            }
        }
    }

    /// <inheritdoc />
    public async Task CreateDirectoryAsync(string path, TargetFileAttributes? attributes = null, CancellationToken cancellationToken = default)
    {
        await EnsureJournalAsync(forChange: true, cancellationToken).ConfigureAwait(false);
        var resolved = await ResolveForCreateAsync(path, cancellationToken).ConfigureAwait(false);
        if (resolved.Entry is { Kind: TargetEntryKind.Directory })
        {
            return;
        }

        if (resolved.Entry is not null)
        {
            throw Failed(path, $"a {resolved.Entry.Kind.ToString().ToLowerInvariant()} is in the way");
        }

        var (mode, uid, gid) = TargetFileAttributes.Resolve(attributes, null, 0x1ED);
        var quoted = Debugfs.Quote(resolved.Path, path);
        var parent = TargetPath.Parent(resolved.Path);
        _listings.Remove(parent);
        await _debugfs.RunScriptAsync(
            [
                "cd " + Debugfs.Quote(parent, path),
                "mkdir " + Debugfs.Quote(TargetPath.Name(resolved.Path), path),
                $"sif {quoted} mode 0{Convert.ToString(0x4000 | mode, 8)}",
                $"sif {quoted} uid {uid.ToString(CultureInfo.InvariantCulture)}",
                $"sif {quoted} gid {gid.ToString(CultureInfo.InvariantCulture)}",
            ],
            path,
            cancellationToken).ConfigureAwait(false);
        _listings.Remove(parent);
    }

    /// <inheritdoc />
    public async Task DeleteFileAsync(string path, CancellationToken cancellationToken = default)
    {
        await EnsureJournalAsync(forChange: true, cancellationToken).ConfigureAwait(false);
        var resolved = await ResolveExistingAsync(path, followFinal: false, cancellationToken).ConfigureAwait(false);
        if (resolved.Entry!.Kind == TargetEntryKind.Directory)
        {
            throw Failed(path, "it is a directory");
        }

        await RemoveAsync(resolved.Path, path, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<string> ReadSymlinkAsync(string path, CancellationToken cancellationToken = default)
    {
        await EnsureJournalAsync(forChange: false, cancellationToken).ConfigureAwait(false);
        var resolved = await ResolveExistingAsync(path, followFinal: false, cancellationToken).ConfigureAwait(false);
        if (resolved.Entry!.Kind != TargetEntryKind.Symlink)
        {
            throw Failed(path, $"it is a {resolved.Entry.Kind.ToString().ToLowerInvariant()}, not a symbolic link");
        }

        return await ReadLinkAsync(resolved.Path, path, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DeleteSymlinkAsync(string path, CancellationToken cancellationToken = default)
    {
        await EnsureJournalAsync(forChange: true, cancellationToken).ConfigureAwait(false);
        var resolved = await ResolveExistingAsync(path, followFinal: false, cancellationToken).ConfigureAwait(false);
        if (resolved.Entry!.Kind != TargetEntryKind.Symlink)
        {
            throw Failed(path, $"it is a {resolved.Entry.Kind.ToString().ToLowerInvariant()}, not a symbolic link");
        }

        await RemoveAsync(resolved.Path, path, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override string ToString() => Description;

    private static SmsException Failed(string path, string why) => new(SmsErrorCode.TargetConfigurationFailed, $"The target path '{path}' cannot be used: {why}.");

    private static async Task<string> HostFileAsync(ReadOnlyMemory<byte> content, List<string> hostFiles, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Path.GetTempPath(), $"sms-fixup-{Guid.NewGuid():N}");
                var stream = new FileStream(file, UnixFiles.CreateNewPrivate());
        hostFiles.Add(file);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
        }

        return file;
    }

    /// <summary>Copies each extended attribute of a file (but the inline-data one, which is its content) to a host file.</summary>
    private async Task<List<(string Name, string File)>> SaveAttributesAsync(string resolved, string path, List<string> hostFiles, CancellationToken cancellationToken)
    {
        var listing = Encoding.UTF8.GetString(await _debugfs.RequestAsync("ea_list " + Debugfs.Quote(resolved, path), path, cancellationToken).ConfigureAwait(false));
        var saved = new List<(string, string)>();
        foreach (var line in listing.Split('\n'))
        {
            // "  security.selinux (26) = "system_u:object_r:etc_t:s0""
            if (!line.StartsWith("  ", StringComparison.Ordinal))
            {
                continue;
            }

            var name = line.Trim();
            var end = name.IndexOf(' ', StringComparison.Ordinal);
            name = end < 0 ? name : name[..end];
            if (name.Length == 0 || name == "system.data")
            {
                continue;
            }

            var file = Path.Combine(Path.GetTempPath(), $"sms-fixup-{Guid.NewGuid():N}");
            hostFiles.Add(file);
            await _debugfs.RequestAsync($"ea_get -f {Debugfs.Quote(file, path)} {Debugfs.Quote(resolved, path)} {Debugfs.Quote(name, path)}", path, cancellationToken).ConfigureAwait(false);
            saved.Add((name, file));
        }

        return saved;
    }

    private async Task RemoveAsync(string resolved, string path, CancellationToken cancellationToken)
    {
        var parent = TargetPath.Parent(resolved);
        _listings.Remove(parent);
        try
        {
            await _debugfs.RequestWritableAsync("rm " + Debugfs.Quote(resolved, path), path, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _listings.Remove(parent);
        }
    }

    private async Task TryRemoveAsync(string temporary)
    {
        try
        {
            if (await LStatAsync(temporary, CancellationToken.None).ConfigureAwait(false) is not null)
            {
                await _debugfs.RequestWritableAsync("rm " + Debugfs.Quote(temporary, temporary), temporary, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (SmsException)
        {
            // The first failure is the one reported; a leftover ".sms-tmp-" file is harmless.
        }
        finally
        {
            _listings.Remove(TargetPath.Parent(temporary));
        }
    }

    private async Task<List<TargetEntry>> ListAsync(string resolvedDirectory, CancellationToken cancellationToken)
    {
        if (_listings.TryGetValue(resolvedDirectory, out var cached))
        {
            return cached;
        }

        var output = await _debugfs.RequestAsync("ls -p " + Debugfs.Quote(resolvedDirectory, resolvedDirectory), resolvedDirectory, cancellationToken).ConfigureAwait(false);
        var entries = DebugfsListing.Parse(output, resolvedDirectory);
        _listings[resolvedDirectory] = entries;
        return entries;
    }

    private async Task<TargetEntry?> LStatAsync(string resolved, CancellationToken cancellationToken)
    {
        if (resolved == "/")
        {
            var root = (await ListAsync("/", cancellationToken).ConfigureAwait(false)).FirstOrDefault(static e => e.Name == ".")
                ?? throw Failed("/", "debugfs listed no '.' in the root directory");
            return root with { Name = "/" };
        }

        var name = TargetPath.Name(resolved);
        var listing = await ListAsync(TargetPath.Parent(resolved), cancellationToken).ConfigureAwait(false);
        return listing.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.Ordinal));
    }

    private async Task<string> ReadLinkAsync(string resolved, string path, CancellationToken cancellationToken)
    {
        const string Marker = "Fast link dest: \"";
        var stat = await _debugfs.RequestAsync("stat " + Debugfs.Quote(resolved, path), path, cancellationToken).ConfigureAwait(false);
        var text = Encoding.UTF8.GetString(stat);
        var at = text.IndexOf(Marker, StringComparison.Ordinal);
        if (at >= 0)
        {
            var start = at + Marker.Length;
            var end = text.LastIndexOf('"');
            return end > start ? text[start..end] : string.Empty;
        }

        // A link too long for the inode keeps its text in a data block, which cat prints.
        var bytes = await _debugfs.RequestAsync("cat " + Debugfs.Quote(resolved, path), path, cancellationToken).ConfigureAwait(false);
        return Encoding.UTF8.GetString(bytes);
    }

    private async Task<TargetPath.Resolved> ResolveAsync(string path, bool followFinal, CancellationToken cancellationToken)
    {
        // Quote early, so that a path debugfs cannot express is refused before anything runs.
        _ = Debugfs.Quote(path, path);
        return await TargetPath.ResolveAsync(
            path,
            followFinal,
            LStatAsync,
            (p, ct) => ReadLinkAsync(p, path, ct),
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<TargetPath.Resolved> ResolveExistingAsync(string path, bool followFinal, CancellationToken cancellationToken)
    {
        var resolved = await ResolveAsync(path, followFinal, cancellationToken).ConfigureAwait(false);
        return resolved.Missing || resolved.Entry is null ? throw TargetPath.NotFound(path, Description) : resolved;
    }

    private async Task<TargetPath.Resolved> ResolveForCreateAsync(string path, CancellationToken cancellationToken)
    {
        var resolved = await ResolveAsync(path, followFinal: true, cancellationToken).ConfigureAwait(false);
        if (resolved.Missing)
        {
            throw new SmsException(SmsErrorCode.ResourceNotFound, $"Cannot write '{path}' on the target ({Description}): the directory '{resolved.Path}' does not exist.");
        }

        return resolved.Path == "/" ? throw Failed(path, "it is the root") : resolved;
    }

    /// <summary>
    /// Makes sure no journal replay at the next mount can undo a change: transactions not written back are replayed
    /// now (or, when that is off, changes are refused). The <c>needs_recovery</c> flag alone does not mean there are
    /// any (a mounted or snapshotted ext3/4 always has it); the journal's start block says.
    /// </summary>
    private async Task EnsureJournalAsync(bool forChange, CancellationToken cancellationToken)
    {
        if (_journalChecked)
        {
            return;
        }

        var superblock = new byte[1024];
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(ImagePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SmsException(SmsErrorCode.TargetConfigurationFailed, $"The image {ImagePath} cannot be read: {ex.Message}", ex);
        }

        using (handle)
        {
            if (await RandomAccess.ReadAsync(handle, superblock, Offset + SuperblockAt, cancellationToken).ConfigureAwait(false) != superblock.Length
                || BinaryPrimitives.ReadUInt16LittleEndian(superblock.AsSpan(0x38)) != ExtMagic)
            {
                // Not ext: let debugfs say so, with its own words, on the first request.
                _journalChecked = !forChange;
                if (forChange)
                {
                    throw new SmsException(SmsErrorCode.TargetConfigurationFailed, $"There is no ext2/3/4 file system at byte {Offset} of {ImagePath}.");
                }

                return;
            }
        }

        var incompat = BinaryPrimitives.ReadUInt32LittleEndian(superblock.AsSpan(0x60));
        if ((incompat & IncompatRecover) != 0)
        {
            if (_replayJournal)
            {
                try
                {
                    ReplayedTransactions = await Ext4JournalReplay.ReplayAsync(_debugfs, ImagePath, Offset, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new SmsException(SmsErrorCode.TargetConfigurationFailed, $"The journal of the file system at byte {Offset} of {ImagePath} cannot be replayed: {ex.Message}", ex);
                }

                _listings.Clear();
            }
            else if (await JournalStartAsync(superblock, cancellationToken).ConfigureAwait(false) is var start and not 0)
            {
                if (!forChange)
                {
                    return;
                }

                throw JournalPending($"its journal holds transactions not yet written back (from journal block {start})");
            }
        }

        _journalChecked = true;
    }

    private async Task<uint> JournalStartAsync(byte[] superblock, CancellationToken cancellationToken)
    {
        var compat = BinaryPrimitives.ReadUInt32LittleEndian(superblock.AsSpan(0x5C));
        var incompat = BinaryPrimitives.ReadUInt32LittleEndian(superblock.AsSpan(0x60));
        var journalInode = BinaryPrimitives.ReadUInt32LittleEndian(superblock.AsSpan(0xE0));
        if ((compat & CompatHasJournal) == 0 || journalInode == 0 || (incompat & IncompatJournalDev) != 0)
        {
            throw JournalPending("its journal is on another device");
        }

        var blockSize = 1024L << (int)BinaryPrimitives.ReadUInt32LittleEndian(superblock.AsSpan(0x18));
        var bmap = Encoding.ASCII.GetString(await _debugfs.RequestAsync($"bmap <{journalInode.ToString(CultureInfo.InvariantCulture)}> 0", "the journal", cancellationToken).ConfigureAwait(false)).Trim();
        if (!long.TryParse(bmap, NumberStyles.None, CultureInfo.InvariantCulture, out var block) || block == 0)
        {
            throw JournalPending($"its journal's first block cannot be found ('{bmap}')");
        }

        var header = new byte[0x20];
        using var handle = File.OpenHandle(ImagePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (await RandomAccess.ReadAsync(handle, header, Offset + (block * blockSize), cancellationToken).ConfigureAwait(false) != header.Length
            || BinaryPrimitives.ReadUInt32BigEndian(header) != JournalMagic)
        {
            throw JournalPending("its journal has no valid superblock");
        }

        return BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(0x1C));
    }

    private SmsException JournalPending(string why) => new(
        SmsErrorCode.TargetConfigurationFailed,
        $"The file system at byte {Offset} of {ImagePath} needs recovery: {why}. Changing it now would be undone when the journal is replayed at boot; "
        + "let it be replayed (ReplayJournal), or replay it with e2fsck -E journal_only on the partition through a loop device, and run the fix-ups again.");
}
