namespace Sms.Files.Source;

/// <summary>What a pass did, counted from several threads.</summary>
internal sealed class PassCounters
{
    private long _entries;
    private long _excluded;
    private long _bytesScanned;
    private long _bytesDiscovered;
    private long _filesSent;
    private long _created;
    private long _metadataOnly;
    private long _deleted;
    private long _unchanged;
    private long _changedDuringRead;

    public long Entries => Interlocked.Read(ref _entries);

    public long Excluded => Interlocked.Read(ref _excluded);

    public long BytesScanned => Interlocked.Read(ref _bytesScanned);

    public long BytesDiscovered => Interlocked.Read(ref _bytesDiscovered);

    public long FilesSent => Interlocked.Read(ref _filesSent);

    public long Created => Interlocked.Read(ref _created);

    public long MetadataOnly => Interlocked.Read(ref _metadataOnly);

    public long Deleted => Interlocked.Read(ref _deleted);

    public long Unchanged => Interlocked.Read(ref _unchanged);

    public long ChangedDuringRead => Interlocked.Read(ref _changedDuringRead);

    public void AddEntries(long n) => Interlocked.Add(ref _entries, n);

    public void AddExcluded() => Interlocked.Increment(ref _excluded);

    public void AddScanned(long bytes) => Interlocked.Add(ref _bytesScanned, bytes);

    public void AddDiscovered(long bytes) => Interlocked.Add(ref _bytesDiscovered, bytes);

    public void AddFileSent() => Interlocked.Increment(ref _filesSent);

    public void AddCreated() => Interlocked.Increment(ref _created);

    public void AddMetadataOnly() => Interlocked.Increment(ref _metadataOnly);

    public void AddDeleted() => Interlocked.Increment(ref _deleted);

    public void AddUnchanged(long n) => Interlocked.Add(ref _unchanged, n);

    public void AddChangedDuringRead() => Interlocked.Increment(ref _changedDuringRead);
}
