using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sms.Files;
using Sms.Files.Manifest;
using Sms.Files.Native;
using Sms.Replication.Tests.Integration;

namespace Sms.Replication.Tests.Files;

public sealed class ManifestTests
{
    [Property(MaxTest = 100)]
    public void Encode_ThenDecode_RoundTrips(NonEmptyArray<NonNull<string>> names, int seed)
    {
        // Given: entries of every kind with arbitrary fields.
        var random = new Random(seed);
        var manifest = new FileManifest(Guid.NewGuid()) { Generation = random.NextInt64(0, long.MaxValue) };
        foreach (var name in names.Get)
        {
            var path = RawPath.FromText(name.Get.Replace("\0", string.Empty, StringComparison.Ordinal)).Trim('/');
            if (path.Length == 0 || path.Length > 2000)
            {
                continue;
            }

            manifest.Entries[path] = RandomEntry(path, random);
        }

        // When
        var decoded = FileManifest.TryDecode(manifest.Encode(), out var reason);

        // Then
        Assert.NotNull(decoded);
        Assert.Null(reason);
        Assert.Equal(manifest.TreeId, decoded.TreeId);
        Assert.Equal(manifest.Generation, decoded.Generation);
        Assert.Equal(manifest.Entries.Count, decoded.Entries.Count);
        foreach (var (path, entry) in manifest.Entries)
        {
            AssertSameEntry(entry, decoded.Entries[path]);
        }
    }

    [Property(MaxTest = 50)]
    public void TryDecode_AnyDamage_IsRefusedWithAReason(PositiveInt at, byte value)
    {
        // Given
        var manifest = new FileManifest(Guid.NewGuid());
        for (var i = 0; i < 20; i++)
        {
            manifest.Entries[$"dir/file{i}"] = RandomEntry($"dir/file{i}", new Random(i));
        }

        var bytes = manifest.Encode();
        var index = at.Get % bytes.Length;
        if (bytes[index] == value)
        {
            value ^= 0x5A;
        }

        bytes[index] = value;

        // When
        var decoded = FileManifest.TryDecode(bytes, out var reason);

        // Then
        Assert.Null(decoded);
        Assert.NotNull(reason);
    }

    [Fact]
    public void Journal_Replay_AppliesRecordsUpToATornTail()
    {
        // Given: a journal with an upsert, a removal and a completion, then a torn record.
        using var dir = new TempDirectory();
        var path = dir.Combine("t.files.journal");
        var manifest = new FileManifest(Guid.NewGuid()) { Generation = 4 };
        manifest.Entries["old"] = RandomEntry("old", new Random(1));
        using (var journal = ManifestJournal.Create(path, manifest.TreeId, generation: 4))
        {
            journal.Upsert(RandomEntry("new", new Random(2)));
            journal.Remove("old");
            journal.Completed(5);
            journal.Upsert(RandomEntry("torn", new Random(3)));
        }

        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^7]);

        // When
        var applied = ManifestJournal.Replay(path, manifest);

        // Then
        Assert.Equal(3, applied);
        Assert.True(manifest.Entries.ContainsKey("new"));
        Assert.False(manifest.Entries.ContainsKey("old"));
        Assert.False(manifest.Entries.ContainsKey("torn"));
        Assert.Equal(5, manifest.Generation);
    }

    [Fact]
    public void Journal_OfAnotherGenerationOrTree_IsIgnored()
    {
        // Given
        using var dir = new TempDirectory();
        var path = dir.Combine("t.files.journal");
        var manifest = new FileManifest(Guid.NewGuid()) { Generation = 2 };
        using (var journal = ManifestJournal.Create(path, manifest.TreeId, generation: 1))
        {
            journal.Upsert(RandomEntry("x", new Random(1)));
        }

        // When / Then
        Assert.Equal(0, ManifestJournal.Replay(path, manifest));
        Assert.Empty(manifest.Entries);
    }

    [Fact]
    public void Save_ThenTryLoad_RoundTripsAndLeavesNoTemporary()
    {
        // Given
        using var dir = new TempDirectory();
        var manifest = new FileManifest(Guid.NewGuid()) { Generation = 9 };
        manifest.Entries["a/b"] = RandomEntry("a/b", new Random(5));

        // When
        manifest.Save(FileManifest.PathFor(dir.Path, "t"));
        var loaded = FileManifest.TryLoad(FileManifest.PathFor(dir.Path, "t"), FileManifest.JournalPathFor(dir.Path, "t"), out _);

        // Then
        Assert.NotNull(loaded);
        AssertSameEntry(manifest.Entries["a/b"], loaded.Entries["a/b"]);
        Assert.Equal(["t.files.manifest"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    internal static FileEntry RandomEntry(string path, Random random)
    {
        var kind = (FileKind)random.Next(1, 8);
        var entry = new FileEntry(path)
        {
            Kind = kind,
            Flags = (EntryFlags)random.Next(0, 8),
            Permissions = (uint)random.Next(0, 0x1000),
            Uid = (uint)random.Next(),
            Gid = (uint)random.Next(),
            Size = random.NextInt64(0, long.MaxValue),
            Modify = new FileTime(random.NextInt64(-1L << 40, 1L << 40), (uint)random.Next(0, 1_000_000_000)),
            Change = new FileTime(random.NextInt64(0, 1L << 40), (uint)random.Next(0, 1_000_000_000)),
            Inode = (ulong)random.NextInt64(),
            Device = (ulong)random.NextInt64(),
            XattrDigest = random.Next(2) == 0 ? 0 : (ulong)random.NextInt64() | 1,
            Hash = random.Next(4) == 0 ? UInt128.Zero : new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64()),
            Rdev = kind is FileKind.CharacterDevice or FileKind.BlockDevice ? (ulong)random.NextInt64() : 0,
            LinkTo = random.Next(5) == 0 ? "some/primary" : null,
        };
        if (kind == FileKind.Regular && random.Next(3) == 0)
        {
            entry.Chunks = Enumerable.Range(0, random.Next(0, 40)).Select(_ => new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64())).ToArray();
        }

        return entry;
    }

    internal static void AssertSameEntry(FileEntry expected, FileEntry actual)
    {
        Assert.Equal(expected.Path, actual.Path);
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.Flags, actual.Flags);
        Assert.Equal(expected.Permissions, actual.Permissions);
        Assert.Equal(expected.Uid, actual.Uid);
        Assert.Equal(expected.Gid, actual.Gid);
        Assert.Equal(expected.Size, actual.Size);
        Assert.Equal(expected.Modify, actual.Modify);
        Assert.Equal(expected.Change, actual.Change);
        Assert.Equal(expected.Inode, actual.Inode);
        Assert.Equal(expected.Device, actual.Device);
        Assert.Equal(expected.XattrDigest, actual.XattrDigest);
        Assert.Equal(expected.Hash, actual.Hash);
        Assert.Equal(expected.Rdev, actual.Rdev);
        Assert.Equal(expected.LinkTo, actual.LinkTo);
        Assert.Equal(expected.Chunks, actual.Chunks);
    }
}
