using System.IO.Hashing;

namespace Sms.Blocks;

/// <summary>
/// Block identity: XXH128 of the block's bytes. Two values are reserved: <see cref="Zero"/> stands for a block of
/// zeros (holes are never hashed), <see cref="Unknown"/> for a block whose content on the target is not known (sent
/// but not acknowledged), which differs from every real hash so the block is sent again.
/// </summary>
public static class BlockHash
{
    /// <summary>The value of an all-zero block.</summary>
    public static readonly UInt128 Zero = UInt128.Zero;

    /// <summary>The value of a block whose target content is unknown.</summary>
    public static readonly UInt128 Unknown = UInt128.MaxValue;

    /// <summary>Hashes a block; an all-zero block hashes to <see cref="Zero"/>.</summary>
    /// <param name="block">The bytes.</param>
    /// <returns>The block's value.</returns>
    public static UInt128 Compute(ReadOnlySpan<byte> block)
    {
        if (IsZero(block))
        {
            return Zero;
        }

        var hash = XxHash128.HashToUInt128(block);

        // The two reserved values are astronomically unlikely; fold them away so they keep their meaning.
        return hash == Zero || hash == Unknown ? hash ^ 1 : hash;
    }

    /// <summary>Whether every byte is zero (vectorised).</summary>
    /// <param name="block">The bytes.</param>
    /// <returns><see langword="true"/> for an all-zero block.</returns>
    public static bool IsZero(ReadOnlySpan<byte> block) => !block.ContainsAnyExcept((byte)0);

    /// <summary>Writes a value big-endian into 16 bytes.</summary>
    /// <param name="value">The value.</param>
    /// <param name="destination">At least 16 bytes.</param>
    public static void Write(UInt128 value, Span<byte> destination)
        => System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(destination, value);

    /// <summary>Reads a value written by <see cref="Write"/>.</summary>
    /// <param name="source">At least 16 bytes.</param>
    /// <returns>The value.</returns>
    public static UInt128 Read(ReadOnlySpan<byte> source)
        => System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(source);
}
