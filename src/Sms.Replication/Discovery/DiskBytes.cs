using Sms.Blocks;

namespace Sms.Discovery;

/// <summary>Small helpers every discovery reader needs: exact reads that fail clearly.</summary>
public static class DiskBytes
{
    /// <summary>Reads exactly <c>buffer.Length</c> bytes at <paramref name="offset"/>.</summary>
    /// <param name="disk">The disk.</param>
    /// <param name="offset">The absolute offset.</param>
    /// <param name="buffer">The destination.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns><see langword="false"/> when the disk ends first (the rest of the buffer is zeroed).</returns>
    public static async ValueTask<bool> TryReadExactAsync(IBlockSource disk, long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(disk);
        if (offset < 0 || offset >= disk.Length)
        {
            buffer.Span.Clear();
            return false;
        }

        var read = await disk.ReadAsync(offset, buffer, cancellationToken).ConfigureAwait(false);
        if (read < buffer.Length)
        {
            buffer.Span[read..].Clear();
            return false;
        }

        return true;
    }

    /// <summary>Reads <paramref name="count"/> bytes at <paramref name="offset"/> into a new array.</summary>
    /// <param name="disk">The disk.</param>
    /// <param name="offset">The absolute offset.</param>
    /// <param name="count">How many bytes.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The bytes, zero-padded past the end of the disk.</returns>
    public static async ValueTask<byte[]> ReadAsync(IBlockSource disk, long offset, int count, CancellationToken cancellationToken = default)
    {
        var buffer = new byte[count];
        await TryReadExactAsync(disk, offset, buffer, cancellationToken).ConfigureAwait(false);
        return buffer;
    }
}
