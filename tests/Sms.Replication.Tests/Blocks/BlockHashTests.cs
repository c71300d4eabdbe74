using System.IO.Hashing;
using FsCheck;
using FsCheck.Xunit;
using Sms.Blocks;

namespace Sms.Replication.Tests.Blocks;

public sealed class BlockHashTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(1 << 20)]
    public void Compute_ZeroBlock_ReturnsZero(int length)
    {
        // Given
        var block = new byte[length];

        // When
        var hash = BlockHash.Compute(block);

        // Then
        Assert.Equal(BlockHash.Zero, hash);
        Assert.True(BlockHash.IsZero(block));
    }

    [Property(MaxTest = 200)]
    public void Compute_NonZeroData_IsNeitherReservedValueAndIsXxHash128(NonEmptyArray<byte> data, byte marker)
    {
        // Given
        var block = data.Get;
        block[marker % block.Length] |= 1;

        // When
        var hash = BlockHash.Compute(block);

        // Then
        Assert.NotEqual(BlockHash.Zero, hash);
        Assert.NotEqual(BlockHash.Unknown, hash);
        Assert.False(BlockHash.IsZero(block));
        Assert.Equal(XxHash128.HashToUInt128(block), hash);
    }

    [Property(MaxTest = 100)]
    public void Compute_SingleNonZeroByteAnywhere_IsNotZero(PositiveInt length, int position, byte value)
    {
        // Given
        var block = new byte[(length.Get % 8192) + 1];
        block[(int)((uint)position % (uint)block.Length)] = (byte)(value | 0x80);

        // When
        var hash = BlockHash.Compute(block);

        // Then
        Assert.NotEqual(BlockHash.Zero, hash);
        Assert.False(BlockHash.IsZero(block));
    }

    [Property(MaxTest = 200)]
    public void Write_ThenRead_ReturnsSameValue(ulong upper, ulong lower)
    {
        // Given
        var value = new UInt128(upper, lower);
        var bytes = new byte[16];

        // When
        BlockHash.Write(value, bytes);
        var read = BlockHash.Read(bytes);

        // Then
        Assert.Equal(value, read);
        Assert.Equal((byte)(upper >> 56), bytes[0]);
        Assert.Equal((byte)lower, bytes[15]);
    }

    [Fact]
    public void ReservedValues_Always_AreZeroAndMaxValue()
    {
        // Given / When / Then
        Assert.Equal(UInt128.Zero, BlockHash.Zero);
        Assert.Equal(UInt128.MaxValue, BlockHash.Unknown);
    }
}
