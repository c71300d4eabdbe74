using FsCheck;
using FsCheck.Fluent;

namespace Sms.Replication.Tests.Discovery.Ext;

/// <summary>A bitmap to scan and where its bits land.</summary>
/// <param name="Bitmap">The bytes: runs of 0x00, 0xFF and random bytes, as real bitmaps look.</param>
/// <param name="BitCount">How many bits count (may pass the end of the bytes).</param>
/// <param name="Origin">The byte bit 0 stands for.</param>
/// <param name="Unit">Bytes per bit.</param>
/// <param name="End">The clip.</param>
public sealed record BitmapCase(byte[] Bitmap, int BitCount, long Origin, long Unit, long End)
{
    public override string ToString()
        => $"BitmapCase({Convert.ToHexString(Bitmap)}, bits {BitCount}, origin {Origin}, unit {Unit}, end {End})";
}

public static class BitmapArbitraries
{
    private static readonly Gen<byte> AnyByte = Gen.Choose(0, 255).Select(i => (byte)i);

    private static readonly Gen<byte[]> Run =
        from kind in Gen.Choose(0, 3)
        from length in Gen.Choose(1, 24)
        from bytes in kind switch
        {
            0 => Gen.Constant(new byte[length]),
            1 => Gen.Constant(Enumerable.Repeat((byte)0xFF, length).ToArray()),
            2 => Gen.ArrayOf(Gen.Elements((byte)0x01, (byte)0x80, (byte)0x7F, (byte)0xFE, (byte)0x0F, (byte)0xF0), length),
            _ => Gen.ArrayOf(AnyByte, length),
        }
        select bytes;

    private static readonly Gen<byte[]> Bytes =
        from count in Gen.Choose(0, 6)
        from runs in Gen.ArrayOf(Run, count)
        select runs.SelectMany(r => r).ToArray();

    public static Arbitrary<BitmapCase> Case()
        => Arb.From(
            from bitmap in Bytes
            from bitCount in Gen.Frequency((4, Gen.Choose(0, bitmap.Length * 8)), (1, Gen.Choose(0, (bitmap.Length * 8) + 20)))
            from origin in Gen.Choose(0, 10_000).Select(i => (long)i * 512)
            from unit in Gen.Elements(1L, 1024L, 4096L, 65536L)
            from clip in Gen.Frequency((3, Gen.Constant(long.MaxValue)), (1, Gen.Choose(0, 1 << 20).Select(i => origin + i)))
            select new BitmapCase(bitmap, bitCount, origin, unit, clip));
}
