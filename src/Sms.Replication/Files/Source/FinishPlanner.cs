using System.Runtime.CompilerServices;
using Sms.Files.Manifest;
using Sms.Files.Native;
using Sms.Files.Wire;
using Sms.Protocol;

namespace Sms.Files.Source;

/// <summary>
/// The end of a pass, once the walk is over: hard-link groups (their primary sent as a file, the other names as links
/// to it), deletions of what vanished from the source, and directory metadata, deepest first. These go in FileFinish
/// frames, which the receiver applies only after everything sent before them.
/// </summary>
internal sealed class FinishPlanner
{
    private readonly PassContext _context;
    private readonly List<FileEntry> _entries;
    private readonly List<(FileEntry Member, FileEntry Primary, FileEntry? Old)> _links = [];

    public FinishPlanner(PassContext context, List<FileEntry> entries)
    {
        _context = context;
        _entries = entries;
    }

    /// <summary>Old entries out of this pass's reach (excluded): the target keeps them, so the manifest does too.</summary>
    public List<FileEntry> Kept { get; } = [];

    /// <summary>
    /// Groups the multi-link files by inode; each group's first path (in byte order) is processed as a regular file by
    /// <paramref name="walker"/>, large ones through the chunk readers, which must still be running.
    /// </summary>
    public void ResolveHardLinks(Walker walker)
    {
        var groups = new Dictionary<(ulong Device, ulong Inode), List<LargeFileJob>>();
        foreach (var job in _context.HardLinkCandidates)
        {
            var key = (job.Entry.Device, job.Entry.Inode);
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = [];
            }

            list.Add(job);
        }

        foreach (var group in groups.Values)
        {
            group.Sort(static (a, b) => string.CompareOrdinal(a.Entry.Path, b.Entry.Path));
            var primary = group[0];
            if (!walker.RegularByPath(primary))
            {
                foreach (var gone in group)
                {
                    gone.Entry.Vanished = true;
                }

                continue;
            }

            _entries.Add(primary.Entry);
            for (var i = 1; i < group.Count; i++)
            {
                var member = group[i];
                member.Entry.Flags = EntryFlags.HardLink;
                member.Entry.LinkTo = primary.Entry.Path;
                _links.Add((member.Entry, primary.Entry, member.Old));
                _entries.Add(member.Entry);
                _context.Counters.AddEntries(0);
            }
        }

        walker.Flush();
    }

    /// <summary>Queues the deletions, the links and the directory metadata. Call after the chunk readers finished.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void QueueFinish()
    {
        using var frames = new FinishFrames(_context);

        // Deletions: what the target has and the source no longer does, topmost only (the receiver removes
        // directories recursively; under a path that became a file or link, the replacement already removed it).
        var deletes = new List<string>();
        foreach (var (path, old) in _context.Old)
        {
            if (old.Successor is { Vanished: false })
            {
                continue; // still there (every entry the walk found at a known path is its successor)
            }

            if (_context.Exclusions.IsExcludedOrUnder(path, old.Kind == FileKind.Directory))
            {
                Kept.Add(old);
                continue;
            }

            var parent = RawPath.ParentOf(path);
            if (path.Length > 0 && NewEntryAt(parent) is { Kind: FileKind.Directory } directory)
            {
                deletes.Add(path);
                directory.NeedsDirectoryMetadata = true;
            }
        }

        deletes.Sort(StringComparer.Ordinal);
        foreach (var path in deletes)
        {
            var buffer = frames.Room(3 + path.Length);
            buffer.Begin(RecordOp.Delete, path);
            buffer.Changes.Add(new ManifestChange(null, path, 0, TouchesParent: true));
            _context.Counters.AddDeleted();
        }

        // Hard links: again whenever the primary got a new inode (in this pass or an interrupted one), or the target's
        // entry is not this link yet.
        foreach (var (member, primary, old) in _links)
        {
            member.Hash = primary.Hash;
            member.Chunks = primary.Chunks;
            member.XattrDigest = primary.XattrDigest;
            if (primary.Vanished)
            {
                member.Vanished = true;
                continue;
            }

            // The member's entry keeps the content hash its primary had when it was linked: a primary whose new copy
            // an interrupted pass placed (a new inode on the target) left the member on the old one, and differs.
            if (!primary.ContentSent && old is { Kind: FileKind.Regular } && string.Equals(old.LinkTo, primary.Path, StringComparison.Ordinal)
                && old.Inode == member.Inode && old.Device == member.Device && old.Hash == primary.Hash)
            {
                _context.Counters.AddUnchanged(1);
                continue;
            }

            var buffer = frames.Room(5 + member.Path.Length + primary.Path.Length);
            buffer.Begin(RecordOp.Link, member.Path);
            buffer.WriteString(primary.Path);
            buffer.Changes.Add(new ManifestChange(member, null, 0, TouchesParent: true));
            _context.Counters.AddCreated();
            if (NewEntryAt(RawPath.ParentOf(member.Path)) is { } directory)
            {
                directory.NeedsDirectoryMetadata = true;
            }
        }

        // Directory metadata after the contents, deepest first: setting a directory's time before writing into
        // it would be undone by the write.
        var directories = new List<FileEntry>();
        foreach (var entry in _entries)
        {
            if (!entry.Vanished && entry.Kind == FileKind.Directory && entry.NeedsDirectoryMetadata)
            {
                directories.Add(entry);
            }
        }

        directories.Sort(static (a, b) =>
        {
            var byDepth = RawPath.Depth(b.Path).CompareTo(RawPath.Depth(a.Path));
            return byDepth != 0 ? byDepth : string.CompareOrdinal(a.Path, b.Path);
        });
        foreach (var directory in directories)
        {
            _context.Old.TryGetValue(directory.Path, out var old);
            var replace = old is not null && old.Kind == FileKind.Directory && old.XattrDigest != directory.XattrDigest;
            var xattrs = directory.Xattrs;
            var buffer = frames.Room(3 + directory.Path.Length + RecordBuffer.MetaLength(xattrs));
            buffer.Begin(RecordOp.DirMeta, directory.Path);
            buffer.WriteMeta(directory, replace ? MetaFlags.ReplaceXattrs : MetaFlags.None, xattrs);
            buffer.Changes.Add(new ManifestChange(directory, null, 0));
        }
    }

    /// <summary>What the walk found at a path the manifest knows (a new directory needs no touching: its metadata goes anyway).</summary>
    private FileEntry? NewEntryAt(string path)
        => _context.Old.TryGetValue(path, out var old) && old.Successor is { Vanished: false } entry ? entry : null;

    /// <summary>The FileFinish frames being filled.</summary>
    private sealed class FinishFrames(PassContext context) : IDisposable
    {
        private RecordBuffer? _buffer;

        public RecordBuffer Room(int bytes)
        {
            if (_buffer is not null && (_buffer.Free < bytes || _buffer.Length >= context.Settings.BatchBytes))
            {
                Send();
            }

            return _buffer ??= context.Pool.Rent(context.CancellationToken);
        }

        public void Dispose() => Send();

        private void Send()
        {
            if (_buffer is { Records: > 0 } buffer)
            {
                context.Sender.Enqueue(OutFrame.Payload(FrameType.FileFinish, buffer, pooled: true, rawLength: buffer.Length));
            }
            else if (_buffer is not null)
            {
                context.Pool.Return(_buffer);
            }

            _buffer = null;
        }
    }
}
