using FsCheck;
using FsCheck.Fluent;
using Sms.Replication;

namespace Sms.Replication.Tests.Compression;

/// <summary>Block contents for codec properties.</summary>
public static class CodecData
{
    private static readonly Gen<byte> AnyByte = Gen.Choose(0, 255).Select(i => (byte)i);

    /// <summary>A repeated short pattern: always compressible.</summary>
    public static readonly Gen<byte[]> Compressible =
        from pattern in Gen.Choose(1, 64).SelectMany(n => Gen.ArrayOf(AnyByte, n))
        from length in Gen.Choose(1024, 64 * 1024)
        select Enumerable.Range(0, length).Select(i => pattern[i % pattern.Length]).ToArray();

    /// <summary>Random bytes from a seeded generator: practically incompressible.</summary>
    public static readonly Gen<byte[]> Random =
        from seed in Gen.Choose(int.MinValue, int.MaxValue)
        from length in Gen.Choose(256, 64 * 1024)
        select RandomBytes(seed, length);

    /// <summary>Anything: tiny, empty, random or compressible.</summary>
    public static readonly Gen<byte[]> Any = Gen.Frequency(
        (1, Gen.Choose(0, 64).SelectMany(n => Gen.ArrayOf(AnyByte, n))),
        (2, Random),
        (2, Compressible));

    public static Arbitrary<byte[]> Bytes() => Arb.From(Any);

    public static Arbitrary<CompressionKind> Kinds() => Arb.From(Gen.Elements(CompressionKind.Lz4, CompressionKind.Zstd));

    public static byte[] RandomBytes(int seed, int length)
    {
        var bytes = new byte[length];
        new System.Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static byte[] Repeated(string text, int length)
        => Enumerable.Range(0, length).Select(i => (byte)text[i % text.Length]).ToArray();
}
