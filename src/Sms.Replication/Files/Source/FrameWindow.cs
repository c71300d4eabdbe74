using System.Runtime.CompilerServices;
using Sms.Files.Manifest;
using Sms.Files.Native;
using Sms.Files.Wire;

namespace Sms.Files.Source;

/// <summary>
/// The data frames sent and not yet acknowledged, in order, with the manifest changes each stands for. An
/// acknowledgement journals those changes: only what the target confirmed is ever recorded as being there.
/// </summary>
internal sealed class FrameWindow : IDisposable
{
    private readonly Queue<ManifestChange[]?> _queue = new();
    private readonly SemaphoreSlim _slots;
    private readonly object _gate = new();
    private readonly ManifestJournal? _journal;
    private readonly HashSet<string> _touchedDirectories = new(StringComparer.Ordinal);
    private long _sent;
    private long _acknowledged;
    private long _bytesWritten;

    public FrameWindow(int capacity, ManifestJournal? journal)
    {
        _slots = new SemaphoreSlim(capacity, capacity);
        _journal = journal;
    }

    public long Sent => Interlocked.Read(ref _sent);

    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>The file bytes the target acknowledged as written.</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    public Task WaitForRoomAsync(CancellationToken cancellationToken) => _slots.WaitAsync(cancellationToken);

    /// <summary>Takes a slot if one is free now.</summary>
    public bool TryTakeRoom() => _slots.Wait(0);

    /// <summary>Records a frame about to be written.</summary>
    public void Add(ManifestChange[]? changes)
    {
        lock (_gate)
        {
            _queue.Enqueue(changes);
            _sent++;
        }
    }

    /// <summary>Applies an acknowledgement of the first <paramref name="count"/> frames.</summary>
    /// <exception cref="ReplicationProtocolException">The count goes backwards or beyond what was sent.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Acknowledge(long count)
    {
        var released = 0;
        lock (_gate)
        {
            if (count < _acknowledged || count > _sent)
            {
                throw new ReplicationProtocolException(
                    SmsErrorCode.ProtocolViolation,
                    $"The receiver acknowledged {count} frames, but {_sent} were sent and {_acknowledged} acknowledged before.");
            }

            while (_acknowledged < count)
            {
                var changes = _queue.Dequeue();
                if (changes is not null)
                {
                    foreach (var change in changes)
                    {
                        string path;
                        if (change.Entry is { } entry)
                        {
                            _journal?.Upsert(entry);
                            path = entry.Path;
                        }
                        else if (change.RemovedPath is { } removed)
                        {
                            _journal?.Remove(removed);
                            path = removed;
                        }
                        else
                        {
                            continue;
                        }

                        if (change.TouchesParent && path.Length > 0 && _touchedDirectories.Add(RawPath.ParentOf(path)))
                        {
                            _journal?.Touch(RawPath.ParentOf(path));
                        }

                        _bytesWritten += change.Bytes;
                    }
                }

                _acknowledged++;
                released++;
            }

            _journal?.Flush();
        }

        if (released > 0)
        {
            _slots.Release(released);
        }
    }

    public void Dispose() => _slots.Dispose();
}
