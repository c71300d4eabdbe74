using System.Buffers.Binary;
using System.Numerics;

namespace Sms.Discovery.FileSystems.Xfs;

/// <summary>
/// The CRC32C that v5 (CRC-enabled) XFS metadata carries: CRC-32C (Castagnoli) over the whole structure with its own
/// 4-byte CRC field taken as zero, seed <c>~0</c>, inverted at the end and stored little-endian.
/// </summary>
internal static class XfsChecksum
{
    /// <summary>Whether the CRC stored at <paramref name="crcOffset"/> matches the structure.</summary>
    /// <param name="buffer">The whole structure (a sector for the superblock and AGF, a block for b+tree blocks).</param>
    /// <param name="crcOffset">Where the little-endian CRC field is.</param>
    /// <returns><see langword="true"/> when it matches.</returns>
    public static bool Verify(ReadOnlySpan<byte> buffer, int crcOffset)
        => crcOffset >= 0 && crcOffset <= buffer.Length - 4
            && Compute(buffer, crcOffset) == BinaryPrimitives.ReadUInt32LittleEndian(buffer.Slice(crcOffset, 4));

    /// <summary>The CRC the structure should carry (what goes, little-endian, into its CRC field).</summary>
    /// <param name="buffer">The whole structure.</param>
    /// <param name="crcOffset">Where the CRC field is; its content is ignored.</param>
    /// <returns>The CRC.</returns>
    public static uint Compute(ReadOnlySpan<byte> buffer, int crcOffset)
    {
        var crc = Append(uint.MaxValue, buffer[..crcOffset]);
        crc = BitOperations.Crc32C(crc, 0u);
        crc = Append(crc, buffer[(crcOffset + 4)..]);
        return ~crc;
    }

    private static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(i, 8)));
        }

        for (; i < data.Length; i++)
        {
            crc = BitOperations.Crc32C(crc, data[i]);
        }

        return crc;
    }
}
