using FsCheck;
using FsCheck.Fluent;
using Sms.Blocks;

namespace Sms.Replication.Tests.Manifests;

/// <summary>One manifest update: a block index (taken modulo the block count) and a non-reserved value.</summary>
public readonly record struct EntryUpdate(int IndexSeed, UInt128 Value);

public static class ManifestEntries
{
    private static readonly Gen<ulong> AnyULong =
        from hi in Gen.Choose(int.MinValue, int.MaxValue)
        from lo in Gen.Choose(int.MinValue, int.MaxValue)
        select ((ulong)(uint)hi << 32) | (uint)lo;

    public static Arbitrary<EntryUpdate> Update()
        => Arb.From(
            from index in Gen.Choose(0, int.MaxValue)
            from hi in AnyULong
            from lo in AnyULong
            let value = new UInt128(hi, lo)
            where value != BlockHash.Zero && value != BlockHash.Unknown
            select new EntryUpdate(index, value));
}
