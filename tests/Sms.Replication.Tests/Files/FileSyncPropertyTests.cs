using FsCheck.Xunit;
using Sms.Files;
using Sms.Replication.Tests.Integration;

namespace Sms.Replication.Tests.Files;

public sealed class FileSyncPropertyTests
{
    /// <summary>
    /// Random trees changed at random, each change synced by a pass that may be cut short (a broken link at a random
    /// byte, or the source stopped) before a pass that completes: the target always ends equal to the source.
    /// </summary>
    [Property(MaxTest = 10)]
    public void Sync_RandomMutationsAndRandomInterruptions_TargetEqualsSource(int seed)
    {
        SyncAsync(seed).GetAwaiter().GetResult();
    }

    private static async Task SyncAsync(int seed)
    {
        var random = new Random(seed);
        await using var h = await FileHarness.StartAsync();
        var settings = FileHarness.Settings with { MaxUnacknowledgedFrames = 4, BatchBytes = 64 * 1024, InlineFileLimit = 16 * 1024 };
        var model = new List<string>();
        for (var round = 0; round < 4; round++)
        {
            Mutate(h, random, model, operations: round == 0 ? 60 : 15);
            switch (random.Next(3))
            {
                case 0:
                    await using (var proxy = new CuttingProxy(h.Receiver.LocalEndpoint, cutAfterBytes: random.Next(2_000, 400_000)))
                    {
                        await Interrupted(() => h.ReplicateAsync(settings, h.Pairing with { Endpoint = proxy.Endpoint }).WaitAsync(TimeSpan.FromMinutes(2)));
                    }

                    break;
                case 1:
                    using (var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(random.Next(5, 300))))
                    {
                        await Interrupted(() => h.ReplicateAsync(settings, cancellationToken: stop.Token).WaitAsync(TimeSpan.FromMinutes(2)));
                    }

                    break;
            }

            await h.ReplicateAsync(settings).WaitAsync(TimeSpan.FromMinutes(2));
            TreeSnapshot.AssertSameTree(h.Source, h.Target());
        }
    }

    private static async Task Interrupted(Func<Task<FileReplicationResult>> pass)
    {
        try
        {
            await pass();
        }
        catch (Exception ex) when (ex is SmsException or OperationCanceledException)
        {
            // The interruption; the next pass resumes.
        }
    }

    private static void Mutate(FileHarness h, Random random, List<string> paths, int operations)
    {
        for (var i = 0; i < operations; i++)
        {
            var op = paths.Count == 0 ? 0 : random.Next(9);
            var existing = paths.Count == 0 ? null : paths[random.Next(paths.Count)];
            var fresh = $"d{random.Next(4)}/{(random.Next(3) == 0 ? $"s{random.Next(3)}/" : string.Empty)}n{random.Next(1000)}";
            try
            {
                switch (op)
                {
                    case 0 or 1:
                        if (!Exists(h.Src(fresh)))
                        {
                            TreeBuilder.Random(h.Src(fresh), random.Next(4) == 0 ? random.Next(20_000, 3_000_000) : random.Next(0, 5000), random.Next());
                            paths.Add(fresh);
                        }

                        break;
                    case 2 when File.Exists(h.Src(existing!)) && !IsLink(h.Src(existing!)):
                        using (var stream = new FileStream(h.Src(existing!), FileMode.Open))
                        {
                            stream.Position = random.NextInt64(stream.Length + 1);
                            stream.Write(Guid.NewGuid().ToByteArray());
                        }

                        break;
                    case 3:
                        Delete(h.Src(existing!));
                        paths.Remove(existing!);
                        break;
                    case 4 when !Exists(h.Src(fresh)):
                        Directory.CreateDirectory(Path.GetDirectoryName(h.Src(fresh))!);
                        Directory.Move(h.Src(existing!), h.Src(fresh));
                        paths.Remove(existing!);
                        paths.Add(fresh);
                        break;
                    case 5 when !IsLink(h.Src(existing!)):
                        TreeBuilder.Mode(h.Src(existing!), (UnixFileMode)random.Next(0x100, 0x200));
                        break;
                    case 6:
                        TreeBuilder.Times(h.Src(existing!), random.Next(), 0, random.Next(), (uint)random.Next(1_000_000_000));
                        break;
                    case 7 when !Exists(h.Src(fresh)):
                        TreeBuilder.Symlink(h.Src(fresh), existing!);
                        paths.Add(fresh);
                        break;
                    case 8 when !Exists(h.Src(fresh)) && File.Exists(h.Src(existing!)) && !IsLink(h.Src(existing!)):
                        TreeBuilder.HardLink(h.Src(existing!), h.Src(fresh));
                        paths.Add(fresh);
                        break;
                }
            }
            catch (IOException)
            {
                // A move onto its own subtree and the like: skip that operation.
            }
        }
    }

    private static bool Exists(string path) => Sms.Files.Native.NativeQueries.Lstat(path) is not null;

    private static bool IsLink(string path) => Sms.Files.Native.NativeQueries.Lstat(path) is { Kind: FileKind.Symlink };

    private static void Delete(string path)
    {
        if (Sms.Files.Native.NativeQueries.Lstat(path) is { Kind: FileKind.Directory })
        {
            Directory.Delete(path, recursive: true);
        }
        else if (Exists(path))
        {
            File.Delete(path);
        }
    }
}
