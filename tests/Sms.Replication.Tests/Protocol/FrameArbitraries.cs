using FsCheck;
using FsCheck.Fluent;
using Sms.Protocol;

namespace Sms.Replication.Tests.Protocol;

/// <summary>FsCheck generators for valid frames: every type and flag, offsets and lengths up to their limits.</summary>
public static class FrameArbitraries
{
    private static readonly Gen<byte> AnyByte = Gen.Choose(0, 255).Select(i => (byte)i);

    private static readonly Gen<ulong> AnyULong =
        from hi in Gen.Choose(int.MinValue, int.MaxValue)
        from lo in Gen.Choose(int.MinValue, int.MaxValue)
        select ((ulong)(uint)hi << 32) | (uint)lo;

    private static readonly Gen<long> Offsets = Gen.Frequency(
        (1, Gen.Elements(0L, 1L, long.MaxValue, (long)uint.MaxValue + 1)),
        (3, Gen.Choose(0, int.MaxValue).Select(i => (long)i)),
        (3, AnyULong.Select(u => (long)(u & long.MaxValue))));

    private static readonly Gen<int> RawLengths = Gen.Frequency(
        (1, Gen.Elements(0, 1, int.MaxValue)),
        (4, Gen.Choose(0, int.MaxValue)));

    private static readonly Gen<UInt128> Hashes = Gen.Frequency(
        (1, Gen.Elements(UInt128.Zero, UInt128.MaxValue)),
        (4, from hi in AnyULong from lo in AnyULong select new UInt128(hi, lo)));

    private static readonly Gen<byte[]> Payloads = Gen.Frequency(
        (1, Gen.Constant(Array.Empty<byte>())),
        (6, Gen.Choose(1, 300).SelectMany(n => Gen.ArrayOf(AnyByte, n))),
        (1, Gen.Choose(301, 5000).SelectMany(n => Gen.ArrayOf(AnyByte, n))));

    /// <summary>A valid frame.</summary>
    public static readonly Gen<TestFrame> FrameGen =
        from type in Gen.Choose(1, 11)
        from flags in Gen.Choose(0, 2)
        from offset in Offsets
        from rawLength in RawLengths
        from hash in Hashes
        from payload in Payloads
        select new TestFrame((FrameType)type, (FrameFlags)flags, offset, rawLength, hash, payload);

    /// <summary>The arbitrary FsCheck uses for <see cref="TestFrame"/> parameters (and arrays of them).</summary>
    public static Arbitrary<TestFrame> Frame() => Arb.From(FrameGen);
}
