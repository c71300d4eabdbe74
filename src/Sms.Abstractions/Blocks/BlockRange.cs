namespace Sms.Blocks;

/// <summary>A half-open byte range <c>[Offset, Offset + Length)</c> on a disk.</summary>
/// <param name="Offset">The first byte.</param>
/// <param name="Length">The number of bytes; never negative.</param>
public readonly record struct BlockRange(long Offset, long Length)
{
    /// <summary>The first byte after the range.</summary>
    /// <value><c>Offset + Length</c>.</value>
    public long End => Offset + Length;

    /// <summary>Whether the range holds no byte.</summary>
    /// <value><see langword="true"/> when <see cref="Length"/> is zero.</value>
    public bool IsEmpty => Length == 0;

    /// <summary>Creates a range from its first byte and the first byte after it.</summary>
    /// <param name="start">The first byte.</param>
    /// <param name="end">The first byte after the range; not below <paramref name="start"/>.</param>
    /// <returns>The range.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="end"/> is below <paramref name="start"/>.</exception>
    public static BlockRange FromBounds(long start, long end)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(end, start);
        return new BlockRange(start, end - start);
    }

    /// <summary>Whether the range shares at least one byte with <paramref name="other"/>.</summary>
    /// <param name="other">The other range.</param>
    /// <returns><see langword="true"/> when they overlap.</returns>
    public bool Overlaps(BlockRange other) => Offset < other.End && other.Offset < End;
}
