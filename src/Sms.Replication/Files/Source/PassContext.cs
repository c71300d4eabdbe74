using System.Collections.Concurrent;
using Sms.Files.Manifest;
using Sms.Files.Native;
using Sms.Replication;

namespace Sms.Files.Source;

/// <summary>What the threads of one source pass share.</summary>
internal sealed class PassContext
{
    private long _nextFileId;

    public PassContext(string rootPrefix, FileReplicationSettings settings, ExclusionSet exclusions, Dictionary<string, FileEntry> old, FrameSender sender, BufferPool pool, FileTime racyFrom, CancellationToken cancellationToken)
    {
        RootPrefix = rootPrefix;
        Settings = settings;
        Exclusions = exclusions;
        Old = old;
        OldByPath = old.GetAlternateLookup<ReadOnlySpan<char>>();
        Sender = sender;
        Pool = pool;
        RacyFrom = racyFrom;
        CancellationToken = cancellationToken;
    }

    /// <summary>The source directory as a raw path without a trailing slash ("" for <c>/</c>).</summary>
    public string RootPrefix { get; }

    public FileReplicationSettings Settings { get; }

    public ExclusionSet Exclusions { get; }

    /// <summary>The manifest of what the target has (read-only during the walk).</summary>
    public Dictionary<string, FileEntry> Old { get; }

    /// <summary>The same, looked up by a path being composed (no string allocated for entries the manifest has).</summary>
    public Dictionary<string, FileEntry>.AlternateLookup<ReadOnlySpan<char>> OldByPath { get; }

    public FrameSender Sender { get; }

    public BufferPool Pool { get; }

    public PassCounters Counters { get; } = new();

    /// <summary>Files modified at or after this time are hashed again next pass (their time may not show a later change).</summary>
    public FileTime RacyFrom { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>Large files waiting for a reader.</summary>
    public BlockingCollection<LargeFileJob> LargeFiles { get; } = new(new ConcurrentQueue<LargeFileJob>());

    /// <summary>Regular files with several links, resolved after the walk.</summary>
    public ConcurrentBag<LargeFileJob> HardLinkCandidates { get; } = [];

    public long NextFileId() => Interlocked.Increment(ref _nextFileId);

    /// <summary>Whether to compress a payload now: always, never, or when frames queue up for the sender.</summary>
    public bool ShouldCompress()
        => Settings.Compression != CompressionKind.None && (!Settings.AdaptiveCompression || Sender.Backlog >= 2);

    /// <summary>Writes the NUL-terminated full source path of a relative path; returns its length.</summary>
    public int FullPath(string relativePath, Span<byte> destination)
    {
        var length = RawPath.GetBytes(RootPrefix, destination);
        if (relativePath.Length > 0 || length == 0)
        {
            destination[length++] = (byte)'/';
        }

        if (length + relativePath.Length >= destination.Length)
        {
            throw new SmsException(SmsErrorCode.SourceReadFailed, $"Path '{RawPath.Display(relativePath)}' is longer than Linux allows.");
        }

        length += RawPath.GetBytes(relativePath, destination[length..]);
        destination[length] = 0;
        return length;
    }
}

/// <summary>A regular file to read in chunks (or a hard-link candidate), with what the manifest had for it and its directory.</summary>
internal sealed record LargeFileJob(FileEntry Entry, FileEntry? Old, FileEntry Parent);
