namespace Sms.Replication.Tests.Discovery.Fat;

/// <summary>A fresh directory for disk images, deleted on dispose.</summary>
public sealed class ScratchDirectory : IDisposable
{
    public ScratchDirectory()
    {
        Path = Directory.CreateTempSubdirectory("sms-discovery-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Creates a sparse file of the given size.</summary>
    public string SparseImage(string name, long length)
    {
        var path = File(name);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        stream.SetLength(length);
        return path;
    }

    /// <summary>Writes a file of pseudo-random bytes.</summary>
    public string RandomFile(string name, int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        var path = File(name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
