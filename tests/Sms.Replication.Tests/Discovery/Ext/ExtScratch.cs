using Sms.Blocks;
using Sms.Discovery;
using Sms.Discovery.FileSystems.Ext;

namespace Sms.Replication.Tests.Discovery.Ext;

/// <summary>A temporary directory for images a single test makes, patches and reads; deleted on dispose.</summary>
internal sealed class ExtScratch : IDisposable
{
    public ExtScratch()
    {
        Root = Directory.CreateTempSubdirectory("sms-ext-scratch-").FullName;
    }

    public string Root { get; }

    /// <summary>Makes an image with <c>TOOL -q -F OPTIONS</c>.</summary>
    public string Make(string tool, long size, params string[] options)
    {
        var path = Path.Combine(Root, $"{Guid.NewGuid():N}.img");
        E2fsTools.MakeFileSystem(tool, path, size, options);
        return path;
    }

    /// <summary>Probes an image and reads its map, the way a caller does.</summary>
    public static async Task<(FileSystemDescription? Description, IReadOnlyList<BlockRange>? Ranges)> ReadAsync(string image)
    {
        await using var disk = FileBlockSource.Open(image);
        return await ReadAsync(disk, 0, disk.Length);
    }

    /// <summary>Probes a source and, when it is ext, reads its map.</summary>
    public static async Task<(FileSystemDescription? Description, IReadOnlyList<BlockRange>? Ranges)> ReadAsync(IBlockSource disk, long offset, long length)
    {
        var reader = new ExtFileSystemReader();
        var description = await reader.ProbeAsync(disk, offset, length);
        if (description is null)
        {
            return (null, null);
        }

        return (description, await reader.GetAllocatedRangesAsync(disk, offset, length, description));
    }

    /// <summary>Overwrites bytes of an image in place.</summary>
    public static void Patch(string image, long offset, ReadOnlySpan<byte> bytes)
    {
        using var handle = File.OpenHandle(image, FileMode.Open, FileAccess.ReadWrite);
        RandomAccess.Write(handle, bytes, offset);
    }

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
}
