using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Sms.Cloud.Local.Files;

/// <summary>
/// Copies volume, snapshot and image files: a reflink (FICLONE) where the file system supports it and it is allowed,
/// otherwise a sparse-aware copy of the data ranges (SEEK_DATA/SEEK_HOLE) that skips all-zero blocks.
/// </summary>
internal sealed class FileCloner
{
    private const int ChunkSize = 1024 * 1024;
    private const int ZeroGranule = 4096;

    /// <summary>Creates a cloner.</summary>
    /// <param name="useReflink">Whether to try FICLONE first.</param>
    public FileCloner(bool useReflink) => UseReflink = useReflink;

    /// <summary>Whether FICLONE is tried first.</summary>
    public bool UseReflink { get; }

    /// <summary>Whether the file system under <paramref name="directory"/> clones files (tries it on two scratch files).</summary>
    public static bool ProbeReflink(string directory)
    {
        var source = Path.Combine(directory, ".reflink-probe-" + Guid.NewGuid().ToString("N"));
        var destination = source + ".clone";
        try
        {
            using (var handle = File.OpenHandle(source, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
            {
                RandomAccess.Write(handle, new byte[ZeroGranule], 0);
            }

            using var sourceHandle = File.OpenHandle(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var destinationHandle = File.OpenHandle(destination, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
            return LocalFileNative.TryClone(destinationHandle, sourceHandle);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
        finally
        {
            File.Delete(source);
            File.Delete(destination);
        }
    }

    /// <summary>
    /// Copies <paramref name="source"/> into a new <paramref name="destination"/> (replaced if present) of
    /// <paramref name="length"/> bytes (at least the source's), flushed to disk.
    /// </summary>
    /// <param name="source">The file to copy.</param>
    /// <param name="destination">The file to create.</param>
    /// <param name="length">The destination's length, or <see langword="null"/> for the source's.</param>
    /// <param name="cancellationToken">Cancels the copy (the destination is left for the caller to delete).</param>
    /// <returns>How it was copied.</returns>
    /// <exception cref="IOException">Reading or writing failed, or the source is longer than <paramref name="length"/>.</exception>
    public async Task<CopyMethod> CopyAsync(string source, string destination, long? length, CancellationToken cancellationToken)
    {
        using var sourceHandle = File.OpenHandle(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var sourceLength = RandomAccess.GetLength(sourceHandle);
        var targetLength = length ?? sourceLength;
        if (targetLength < sourceLength)
        {
            throw new IOException($"'{source}' holds {sourceLength} bytes, more than the {targetLength} bytes of its copy.");
        }

        using var destinationHandle = File.OpenHandle(destination, FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
        var method = CopyMethod.SparseCopy;
        if (UseReflink && LocalFileNative.TryClone(destinationHandle, sourceHandle))
        {
            method = CopyMethod.Reflink;
        }
        else
        {
            RandomAccess.SetLength(destinationHandle, 0);
            RandomAccess.SetLength(destinationHandle, sourceLength);
            await CopyDataAsync(sourceHandle, destinationHandle, sourceLength, cancellationToken).ConfigureAwait(false);
        }

        if (RandomAccess.GetLength(destinationHandle) != targetLength)
        {
            RandomAccess.SetLength(destinationHandle, targetLength);
        }

        RandomAccess.FlushToDisk(destinationHandle);
        return method;
    }

    /// <summary>Creates an empty (sparse) file of <paramref name="length"/> bytes, failing if it exists.</summary>
    /// <param name="path">The file.</param>
    /// <param name="length">Its length.</param>
    /// <exception cref="IOException">The file exists or cannot be created.</exception>
    public static void CreateSparse(string path, long length)
    {
        using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        RandomAccess.SetLength(handle, length);
    }

    /// <summary>Grows a file to <paramref name="length"/> bytes; the new part is a hole.</summary>
    /// <param name="path">The file.</param>
    /// <param name="length">The new length.</param>
    /// <exception cref="IOException">The file is missing or cannot be grown.</exception>
    public static void Grow(string path, long length)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        if (RandomAccess.GetLength(handle) < length)
        {
            RandomAccess.SetLength(handle, length);
        }
    }

    private static async Task CopyDataAsync(SafeFileHandle source, SafeFileHandle destination, long length, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            foreach (var (offset, count) in LocalFileNative.GetDataRanges(source, length))
            {
                var position = offset;
                var end = offset + count;
                while (position < end)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var chunk = buffer.AsMemory(0, (int)Math.Min(ChunkSize, end - position));
                    var read = await RandomAccess.ReadAsync(source, chunk, position, cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break; // the source shrank under us: the rest reads as zeros
                    }

                    await WriteNonZeroRunsAsync(destination, buffer, read, position, cancellationToken).ConfigureAwait(false);
                    position += read;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Writes the runs of 4 KiB granules that hold a non-zero byte; zero granules stay holes in the new file.
    private static async Task WriteNonZeroRunsAsync(SafeFileHandle destination, byte[] buffer, int count, long offset, CancellationToken cancellationToken)
    {
        var runStart = -1;
        for (var i = 0; i < count; i += ZeroGranule)
        {
            var isZero = !buffer.AsSpan(i, Math.Min(ZeroGranule, count - i)).ContainsAnyExcept((byte)0);
            if (!isZero && runStart < 0)
            {
                runStart = i;
            }
            else if (isZero && runStart >= 0)
            {
                await RandomAccess.WriteAsync(destination, buffer.AsMemory(runStart, i - runStart), offset + runStart, cancellationToken).ConfigureAwait(false);
                runStart = -1;
            }
        }

        if (runStart >= 0)
        {
            await RandomAccess.WriteAsync(destination, buffer.AsMemory(runStart, count - runStart), offset + runStart, cancellationToken).ConfigureAwait(false);
        }
    }
}
