using Microsoft.Win32.SafeHandles;

namespace Sms.Blocks;

/// <summary>
/// A block sink over a volume file or device, written with <c>pwrite</c> into the page cache; <see cref="Flush"/>
/// makes the writes durable. Zeroed ranges become holes where the file system can punch them.
/// </summary>
public sealed class FileBlockSink : IBlockSink
{
    private static readonly byte[] ZeroChunk = new byte[1 << 20];
    private readonly SafeFileHandle _handle;

    private FileBlockSink(string path, SafeFileHandle handle, long length)
    {
        Path = path;
        _handle = handle;
        Length = length;
    }

    /// <summary>The path of the volume.</summary>
    /// <value>The file or device path.</value>
    public string Path { get; }

    /// <inheritdoc />
    public long Length { get; }

    /// <summary>Opens an existing volume file or device for writing.</summary>
    /// <param name="path">The path.</param>
    /// <returns>The sink; dispose it.</returns>
    /// <exception cref="SmsException">The path cannot be opened (<see cref="SmsErrorCode.TargetWriteFailed"/>).</exception>
    public static FileBlockSink Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
            return new FileBlockSink(path, handle, LinuxNative.GetSize(handle));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SmsException(SmsErrorCode.TargetWriteFailed, $"Cannot open volume '{path}': {ex.Message}", ex);
        }
    }

    /// <summary>Creates (or replaces) a sparse volume file of <paramref name="length"/> bytes.</summary>
    /// <param name="path">The path.</param>
    /// <param name="length">The size.</param>
    /// <returns>The sink; dispose it.</returns>
    /// <exception cref="SmsException">The file cannot be created (<see cref="SmsErrorCode.NoSpace"/> or <see cref="SmsErrorCode.TargetWriteFailed"/>).</exception>
    public static FileBlockSink Create(string path, long length)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        try
        {
            var handle = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
            RandomAccess.SetLength(handle, length);
            return new FileBlockSink(path, handle, length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw TargetError(ex, $"Cannot create volume '{path}' of {length} bytes");
        }
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        Write(offset, data.Span);
        return ValueTask.CompletedTask;
    }

    /// <summary>Writes synchronously (a page-cache write; the receiver's hot path).</summary>
    /// <param name="offset">Where.</param>
    /// <param name="data">The bytes.</param>
    /// <exception cref="SmsException">Beyond the end, or the write failed.</exception>
    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        CheckBounds(offset, data.Length);
        try
        {
            RandomAccess.Write(_handle, data, offset);
        }
        catch (IOException ex)
        {
            throw TargetError(ex, $"Writing volume '{Path}' at offset {offset} failed");
        }
    }

    /// <inheritdoc />
    public ValueTask ZeroAsync(BlockRange range, CancellationToken cancellationToken = default)
    {
        Zero(range);
        return ValueTask.CompletedTask;
    }

    /// <summary>Zeroes a range synchronously: a punched hole where supported, written zeros otherwise.</summary>
    /// <param name="range">The range.</param>
    /// <exception cref="SmsException">Beyond the end, or the operation failed.</exception>
    public void Zero(BlockRange range)
    {
        CheckBounds(range.Offset, range.Length);
        if (range.Length == 0 || LinuxNative.TryPunchHole(_handle, range.Offset, range.Length))
        {
            return;
        }

        try
        {
            for (var at = range.Offset; at < range.End; at += ZeroChunk.Length)
            {
                RandomAccess.Write(_handle, ZeroChunk.AsSpan(0, (int)Math.Min(ZeroChunk.Length, range.End - at)), at);
            }
        }
        catch (IOException ex)
        {
            throw TargetError(ex, $"Zeroing volume '{Path}' at offset {range.Offset} failed");
        }
    }

    /// <inheritdoc />
    public async ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var total = 0;
        while (total < buffer.Length && offset + total < Length)
        {
            var read = await RandomAccess.ReadAsync(_handle, buffer[total..], offset + total, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    /// <inheritdoc />
    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        Flush();
        return ValueTask.CompletedTask;
    }

    /// <summary>Makes every write durable (fdatasync).</summary>
    /// <exception cref="SmsException">The flush failed, for example for lack of space.</exception>
    public void Flush()
    {
        try
        {
            LinuxNative.DataSync(_handle);
        }
        catch (IOException ex)
        {
            throw TargetError(ex, $"Flushing volume '{Path}' failed");
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _handle.Dispose();
        return ValueTask.CompletedTask;
    }

    private void CheckBounds(long offset, long length)
    {
        if (offset < 0 || length < 0 || offset > Length - length)
        {
            throw new ReplicationProtocolException(
                SmsErrorCode.WriteBeyondEnd,
                $"Refused a write of {length} bytes at offset {offset}: volume '{System.IO.Path.GetFileName(Path)}' is {Length} bytes.");
        }
    }

    private static SmsException TargetError(IOException ex, string what)
    {
        // ENOSPC (28) and EDQUOT (122) are "disk full" to the user.
        var errno = ex.HResult & 0xFFFF;
        var full = errno is 28 or 122 || ex.Message.Contains("No space", StringComparison.OrdinalIgnoreCase);
        return new SmsException(full ? SmsErrorCode.NoSpace : SmsErrorCode.TargetWriteFailed, $"{what}: {ex.Message}", ex);
    }

    private static SmsException TargetError(Exception ex, string what)
        => ex is IOException io ? TargetError(io, what) : new SmsException(SmsErrorCode.TargetWriteFailed, $"{what}: {ex.Message}", ex);
}
