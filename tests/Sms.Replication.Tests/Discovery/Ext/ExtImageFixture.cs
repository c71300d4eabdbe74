using System.Collections.Concurrent;

namespace Sms.Replication.Tests.Discovery.Ext;

/// <summary>An image made for one <see cref="ExtCase"/>, with what dumpe2fs says about it.</summary>
/// <param name="Case">How it was made.</param>
/// <param name="ImagePath">The image file.</param>
/// <param name="ContentDirectory">The files the image must hold (deleted ones removed), or <see langword="null"/>.</param>
/// <param name="Report">The full <c>dumpe2fs</c> output, parsed.</param>
/// <param name="HeaderFreeBlocks">"Free blocks:" from <c>dumpe2fs -h</c>.</param>
internal sealed record ExtImage(ExtCase Case, string ImagePath, string? ContentDirectory, Dumpe2fsReport Report, long HeaderFreeBlocks);

/// <summary>Builds each case's image once, on first use, in a temporary directory removed at the end.</summary>
public sealed class ExtImageFixture : IDisposable
{
    private const int KiB = 1 << 10;
    private const int MiB = 1 << 20;

    private readonly ConcurrentDictionary<string, Lazy<ExtImage>> _images = new(StringComparer.Ordinal);

    public ExtImageFixture()
    {
        Root = Directory.CreateTempSubdirectory("sms-ext-tests-").FullName;
    }

    /// <summary>The temporary directory.</summary>
    public string Root { get; }

    internal ExtImage Get(string name)
        => _images.GetOrAdd(name, key => new Lazy<ExtImage>(() => Build(ExtCase.Get(key)))).Value;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    /// <summary>Writes a file of random bytes (creating its directory).</summary>
    internal static void WriteRandom(string path, int length, Random random)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = new byte[length];
        random.NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
    }

    private ExtImage Build(ExtCase item)
    {
        var directory = Path.Combine(Root, item.Name);
        Directory.CreateDirectory(directory);
        var image = Path.Combine(directory, "fs.img");
        string? content = null;
        var options = new List<string>(item.Options);
        if (item.Content != ExtContent.None)
        {
            content = Path.Combine(directory, "content");
            var deleted = Populate(content, item);
            options.AddRange(["-d", content]);
            E2fsTools.MakeFileSystem(item.Tool, image, item.Size, options);
            foreach (var path in deleted)
            {
                var error = E2fsTools.DebugfsWrite(image, $"rm /{path}");
                Assert.DoesNotContain("not found", error, StringComparison.Ordinal);
                File.Delete(Path.Combine(content, path));
            }
        }
        else
        {
            E2fsTools.MakeFileSystem(item.Tool, image, item.Size, options);
        }

        var report = Dumpe2fsReport.Parse(E2fsTools.Dumpe2fs(image));
        var header = Dumpe2fsReport.Parse(E2fsTools.Dumpe2fsHeader(image));
        return new ExtImage(item, image, content, report, header.FreeBlocks);
    }

    /// <summary>Fills the directory for mkfs -d; returns the paths to delete from the image afterwards.</summary>
    private static List<string> Populate(string content, ExtCase item)
    {
        var random = new Random(item.Name.Sum(c => c));
        var deleted = new List<string>();
        Directory.CreateDirectory(content);
        File.WriteAllText(Path.Combine(content, "readme.txt"), string.Concat(Enumerable.Repeat($"{item.Name} test image. ", 150)));
        File.WriteAllBytes(Path.Combine(content, "empty"), []);
        WriteRandom(Path.Combine(content, "data", "random-200k.bin"), 200 * KiB, random);
        WriteRandom(Path.Combine(content, "data", "random-1500k.bin"), 1500 * KiB, random);
        WriteRandom(Path.Combine(content, "data", "deep", "tiny"), 17, random);
        if (item.Content != ExtContent.BigWithDeletions)
        {
            return deleted;
        }

        WriteRandom(Path.Combine(content, "big-1.bin"), 24 * MiB, random);
        WriteRandom(Path.Combine(content, "big-2.bin"), 12 * MiB, random);
        WriteRandom(Path.Combine(content, "x"), 8 * MiB, random);
        WriteRandom(Path.Combine(content, "y"), (3 * MiB) + 123, random);
        for (var i = 0; i < 200; i++)
        {
            WriteRandom(Path.Combine(content, "small", $"file-{i:D3}"), random.Next(1, 20 * KiB), random);
        }

        deleted.AddRange(["x", "y", "small/file-007", "small/file-100", "small/file-101", "small/file-150"]);
        return deleted;
    }
}

/// <summary>The tests that share the e2fsprogs images (built once, used serially).</summary>
[CollectionDefinition(Name)]
public sealed class ExtImageCollection : ICollectionFixture<ExtImageFixture>
{
    public const string Name = "ext images";
}
