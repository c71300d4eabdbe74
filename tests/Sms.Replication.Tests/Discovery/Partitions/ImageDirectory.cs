namespace Sms.Replication.Tests.Discovery.Partitions;

/// <summary>A fresh temp directory for disk images, deleted on dispose.</summary>
public sealed class ImageDirectory : IDisposable
{
    public ImageDirectory()
    {
        Path = Directory.CreateTempSubdirectory("sms-partition-tests-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

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
