using System.Buffers.Binary;
using System.Numerics;

namespace Sms.Discovery.FileSystems.Ext;

/// <summary>
/// The checksums that guard the group descriptors and block bitmaps: crc32c (metadata_csum, the kernel's
/// <c>ext4_chksum</c>, without final inversion) or crc16 (uninit_bg / gdt_csum, the kernel's <c>crc16</c>).
/// </summary>
internal static class ExtChecksums
{
    /// <summary>Where bg_checksum sits in a group descriptor.</summary>
    private const int DescriptorChecksumAt = 0x1E;

    private static readonly ushort[] Crc16Table = MakeCrc16Table();

    /// <summary>The metadata_csum seed: <c>s_checksum_seed</c> with metadata_csum_seed, else crc32c(~0, uuid).</summary>
    public static uint Seed(ExtSuperblock superblock)
        => superblock.HasIncompat(ExtFeatures.IncompatCsumSeed) ? superblock.ChecksumSeed : Crc32C(uint.MaxValue, superblock.Uuid);

    /// <summary>Whether a descriptor's bg_checksum matches (always true when the file system has none).</summary>
    /// <param name="geometry">The layout.</param>
    /// <param name="group">The group number, part of the checksum.</param>
    /// <param name="raw">The descriptor's <see cref="ExtGeometry.DescSize"/> bytes.</param>
    /// <returns><see langword="false"/> on a mismatch.</returns>
    public static bool DescriptorMatches(ExtGeometry geometry, int group, ReadOnlySpan<byte> raw)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(number, group);
        var stored = BinaryPrimitives.ReadUInt16LittleEndian(raw[DescriptorChecksumAt..]);
        var rest = raw[(DescriptorChecksumAt + 2)..];
        if (geometry.MetadataCsum)
        {
            var crc = Crc32C(geometry.ChecksumSeed, number);
            crc = Crc32C(crc, raw[..DescriptorChecksumAt]);
            crc = Crc32C(crc, [0, 0]);
            crc = Crc32C(crc, rest);
            return (ushort)crc == stored;
        }

        if (!geometry.Superblock.HasRoCompat(ExtFeatures.RoCompatGdtCsum))
        {
            return true;
        }

        var crc16 = Crc16(0xFFFF, geometry.Superblock.Uuid);
        crc16 = Crc16(crc16, number);
        crc16 = Crc16(crc16, raw[..DescriptorChecksumAt]);
        if (geometry.Superblock.HasIncompat(ExtFeatures.Incompat64Bit))
        {
            crc16 = Crc16(crc16, rest);
        }

        return crc16 == stored;
    }

    /// <summary>Whether a block bitmap matches its checksum in the descriptor (always true without metadata_csum).</summary>
    /// <param name="geometry">The layout.</param>
    /// <param name="descriptor">The group's descriptor.</param>
    /// <param name="bitmap">The bitmap block.</param>
    /// <returns><see langword="false"/> on a mismatch.</returns>
    public static bool BitmapMatches(ExtGeometry geometry, ExtGroupDescriptor descriptor, ReadOnlySpan<byte> bitmap)
    {
        if (!geometry.MetadataCsum)
        {
            return true;
        }

        var crc = Crc32C(geometry.ChecksumSeed, bitmap[..(geometry.ClustersPerGroup / 8)]);
        if (!geometry.WideBitmapChecksums)
        {
            crc &= 0xFFFF;
        }

        return crc == descriptor.BlockBitmapChecksum;
    }

    /// <summary>crc32c (Castagnoli), continuing from <paramref name="crc"/>, without inversion.</summary>
    public static uint Crc32C(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var value in data)
        {
            crc = BitOperations.Crc32C(crc, value);
        }

        return crc;
    }

    /// <summary>CRC-16 (polynomial 0x8005, reflected), continuing from <paramref name="crc"/>.</summary>
    public static ushort Crc16(ushort crc, ReadOnlySpan<byte> data)
    {
        foreach (var value in data)
        {
            crc = (ushort)((crc >> 8) ^ Crc16Table[(crc ^ value) & 0xFF]);
        }

        return crc;
    }

    private static ushort[] MakeCrc16Table()
    {
        var table = new ushort[256];
        for (var i = 0; i < table.Length; i++)
        {
            var crc = (uint)i;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xA001 : crc >> 1;
            }

            table[i] = (ushort)crc;
        }

        return table;
    }
}
