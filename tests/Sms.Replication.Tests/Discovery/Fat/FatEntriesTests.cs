using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sms.Discovery.FileSystems.Fat;

namespace Sms.Replication.Tests.Discovery.Fat;

public sealed class FatEntriesTests
{
    /// <summary>The slow way: entry n is bits [12n, 12n + 12) of the table read as one little-endian bit string.</summary>
    private static uint BruteForce12(byte[] fat, int index)
    {
        uint value = 0;
        for (var k = 0; k < 12; k++)
        {
            var bit = (index * 12) + k;
            value |= (uint)((fat[bit / 8] >> (bit % 8)) & 1) << k;
        }

        return value;
    }

    public static Arbitrary<byte[]> Tables() => Arb.From(
        from triples in Gen.Choose(1, 400)
        from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i), triples * 3)
        select bytes);

    [Property(MaxTest = 300, Arbitrary = [typeof(FatEntriesTests)])]
    public void Read12_AnyTable_EqualsBruteForceForEveryEntry(byte[] fat)
    {
        // Given
        var entries = fat.Length * 8 / 12;

        // When, Then
        for (var i = 0; i < entries; i++)
        {
            Assert.Equal(BruteForce12(fat, i), FatEntries.Read12(fat, i));
            Assert.Equal(BruteForce12(fat, i), FatEntries.Read(fat, FatType.Fat12, i));
        }
    }

    [Fact]
    public void Read12_KnownTriple_SplitsNibbles()
    {
        // Given: entries 0xABC and 0x123 pack as BC 3A 12.
        byte[] fat = [0xBC, 0x3A, 0x12];

        // When, Then
        Assert.Equal(0xABCu, FatEntries.Read12(fat, 0));
        Assert.Equal(0x123u, FatEntries.Read12(fat, 1));
    }

    [Fact]
    public void Read_Fat32Entry_TopFourBitsMasked()
    {
        // Given
        byte[] fat = [0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0xF0];

        // When, Then
        Assert.Equal(0x0FFFFFFFu, FatEntries.Read(fat, FatType.Fat32, 1));
        Assert.Equal(0u, FatEntries.Read(fat, FatType.Fat32, 2));
    }

    [Fact]
    public void Read_Fat16Entry_LittleEndian()
    {
        // Given
        byte[] fat = [0xF8, 0xFF, 0x34, 0x12];

        // When, Then
        Assert.Equal(0x1234u, FatEntries.Read(fat, FatType.Fat16, 1));
    }
}
