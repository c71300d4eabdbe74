using Sms.Migration;

namespace Sms.Workflow;

/// <summary>
/// A running task's view of itself: every change goes to the store first (so a host killed at any point resumes
/// from what was recorded) and then out as an event; pass progress is kept in memory, sent out as events at once and
/// written to the store at most every <see cref="MigrationOptions.ProgressInterval"/>.
/// </summary>
internal sealed class TaskRecorder
{
    private readonly IMigrationStore _store;
    private readonly MigrationEvents _events;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private DiskProgress?[] _live = [];
    private bool _dirty;

    public TaskRecorder(IMigrationStore store, MigrationEvents events, TimeProvider time, MigrationTask task)
    {
        _store = store;
        _events = events;
        _time = time;
        Current = task;
    }

    public MigrationTask Current { get; private set; }

    public string Id => Current.Id;

    public TimeProvider Time => _time;

    public async Task<MigrationTask> UpdateAsync(Func<MigrationTask, MigrationTask> change, CancellationToken cancellationToken, string? message = null)
    {
        var stored = await TaskUpdates.MutateAsync(_store, Id, change, _time, cancellationToken).ConfigureAwait(false);
        Current = stored;
        _events.Publish(new MigrationEvent(MigrationEventKind.Changed, stored, message ?? $"{MigrationTransitions.Describe(stored)}{(stored.Step is null ? string.Empty : " · " + stored.Step)}"));
        return stored;
    }

    public Task TrackAsync(TrackedResource resource, CancellationToken cancellationToken)
        => UpdateAsync(t => Contains(t.Resources, resource.Id) ? t : t with { Resources = [.. t.Resources, resource] }, cancellationToken, $"recorded {resource.Kind} {resource.Id}");

    public Task ForgetAsync(string resourceId, CancellationToken cancellationToken)
        => UpdateAsync(t => t with { Resources = Without(t.Resources, resourceId) }, cancellationToken, $"deleted {resourceId}");

    public Task AuditAsync(string eventName, string outcome, string detail, CancellationToken cancellationToken)
        => _store.AppendAuditAsync(new AuditRecord(_time.GetUtcNow(), Id, eventName, outcome, detail), cancellationToken);

    public void Publish(MigrationEventKind kind, string message) => _events.Publish(new MigrationEvent(kind, Current, message));

    /// <summary>Progress of one disk's pass, as the replicator reports it.</summary>
    public void Report(DiskProgress progress)
    {
        lock (_gate)
        {
            if (_live.Length <= progress.Index)
            {
                Array.Resize(ref _live, progress.Index + 1);
            }

            _live[progress.Index] = progress;
            _dirty = true;
        }

        _events.Publish(new MigrationEvent(MigrationEventKind.Progress, Current, $"disk {progress.Index}: {progress.BytesScanned:N0} of {progress.TotalBytes:N0} bytes", progress));
    }

    /// <summary>Writes the latest progress to the store, if any came since the last call.</summary>
    public async Task FlushProgressAsync(CancellationToken cancellationToken)
    {
        DiskProgress?[] live;
        lock (_gate)
        {
            if (!_dirty)
            {
                return;
            }

            live = (DiskProgress?[])_live.Clone();
            _dirty = false;
        }

        await UpdateAsync(t => t with { Disks = Merge(t.Disks, live) }, cancellationToken, "progress").ConfigureAwait(false);
    }

    /// <summary>Records one disk's finished pass; the live progress of it is dropped.</summary>
    public Task CompleteDiskAsync(DiskProgress done, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (done.Index < _live.Length)
            {
                _live[done.Index] = null;
            }
        }

        return UpdateAsync(t => t with { Disks = Merge(t.Disks, [.. new DiskProgress?[done.Index], done]) }, cancellationToken, $"disk {done.Index}: {done.Mode} pass complete");
    }

    private static List<DiskProgress> Merge(IReadOnlyList<DiskProgress> stored, DiskProgress?[] live)
    {
        var merged = new List<DiskProgress>(Math.Max(stored.Count, live.Length));
        for (var i = 0; i < Math.Max(stored.Count, live.Length); i++)
        {
            var now = i < live.Length ? live[i] : null;
            var before = i < stored.Count ? stored[i] : null;
            merged.Add(now ?? before ?? new DiskProgress { Index = i });
        }

        return merged;
    }

    private static bool Contains(IReadOnlyList<TrackedResource> resources, string id)
    {
        foreach (var resource in resources)
        {
            if (string.Equals(resource.Id, id, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static List<TrackedResource> Without(IReadOnlyList<TrackedResource> resources, string id)
    {
        var kept = new List<TrackedResource>(resources.Count);
        foreach (var resource in resources)
        {
            if (!string.Equals(resource.Id, id, StringComparison.Ordinal))
            {
                kept.Add(resource);
            }
        }

        return kept;
    }
}
