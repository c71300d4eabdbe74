namespace Sms.Cloud.Tests.Local;

/// <summary>A directory under the system temp directory (or <c>SMS_TEST_REFLINK_DIR</c> when asked), deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>The environment variable naming a directory on a file system with reflinks (XFS, Btrfs), to test that path.</summary>
    public const string ReflinkVariable = "SMS_TEST_REFLINK_DIR";

    public TempDirectory(bool onReflinkFileSystem = false)
    {
        var parent = onReflinkFileSystem && Environment.GetEnvironmentVariable(ReflinkVariable) is { Length: > 0 } reflinkRoot ? reflinkRoot : System.IO.Path.GetTempPath();
        Path = System.IO.Path.Combine(parent, "sms-local-cloud-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
