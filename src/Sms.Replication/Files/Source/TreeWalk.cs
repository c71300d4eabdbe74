using System.Collections.Concurrent;
using Sms.Files.Manifest;

namespace Sms.Files.Source;

/// <summary>
/// A parallel walk of the source tree: several threads take directories from a shared stack, so a deep or a wide
/// tree keeps them all busy. A directory is queued only after its MkDir was queued for the sender, so on the wire a
/// directory always comes before anything inside it, whichever thread reads it.
/// </summary>
internal sealed class TreeWalk : IDisposable
{
    private readonly PassContext _context;
    private readonly BlockingCollection<DirectoryWork> _queue = new(new ConcurrentStack<DirectoryWork>());
    private long _pending;

    public TreeWalk(PassContext context)
    {
        _context = context;
    }

    /// <summary>Every entry found (the root first), once <see cref="RunAsync"/> completed.</summary>
    public List<FileEntry> Entries { get; } = [];

    /// <summary>Walks from the root; returns when every directory was read and every small file queued.</summary>
    public async Task RunAsync(FileEntry root, FileEntry? oldRoot)
    {
        Entries.Add(root);
        if (oldRoot is not null)
        {
            oldRoot.Successor = root;
        }

        Push(new DirectoryWork(root, oldRoot));
        var walkers = new Walker[_context.Settings.Walkers];
        var tasks = new Task[walkers.Length];
        for (var i = 0; i < walkers.Length; i++)
        {
            var walker = walkers[i] = new Walker(_context, this);
            tasks[i] = Task.Factory.StartNew(walker.Run, _context.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch
        {
            _queue.CompleteAdding();
            throw;
        }
        finally
        {
            foreach (var walker in walkers)
            {
                walker?.Dispose();
            }
        }

        foreach (var walker in walkers)
        {
            Entries.AddRange(walker.Entries);
        }
    }

    public void Push(DirectoryWork work)
    {
        Interlocked.Increment(ref _pending);
        _queue.Add(work);
    }

    public IEnumerable<DirectoryWork> Take(CancellationToken cancellationToken) => _queue.GetConsumingEnumerable(cancellationToken);

    /// <summary>A directory is done (its subdirectories were pushed before): the last one ends the walk.</summary>
    public void Done()
    {
        if (Interlocked.Decrement(ref _pending) == 0)
        {
            _queue.CompleteAdding();
        }
    }

    /// <summary>Ends the walk early (a walker failed).</summary>
    public void Stop() => _queue.CompleteAdding();

    public void Dispose() => _queue.Dispose();
}

/// <summary>A directory to read, with what the manifest had for it.</summary>
internal sealed record DirectoryWork(FileEntry Entry, FileEntry? Old);
