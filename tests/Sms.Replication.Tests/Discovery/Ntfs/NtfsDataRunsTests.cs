using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sms.Discovery.FileSystems.Ntfs;

namespace Sms.Replication.Tests.Discovery.Ntfs;

public sealed class NtfsDataRunsTests
{
    private static readonly Gen<long> Positive =
        Gen.Frequency(
            (2, Gen.Choose(1, 300).Select(i => (long)i)),
            (2, Gen.Choose(1, int.MaxValue).Select(i => (long)i)),
            (1, from hi in Gen.Choose(0, 1 << 20) from lo in Gen.Choose(1, int.MaxValue) select ((long)hi << 31) | (uint)lo),
            (1, Gen.Elements(127L, 128L, 255L, 256L, 32767L, 32768L, 1L << 40, (1L << 55) - 1)));

    private static readonly Gen<TestRun> Runs =
        from sparse in Gen.Frequency((1, Gen.Constant(true)), (4, Gen.Constant(false)))
        from lcn in Gen.Frequency((1, Gen.Constant(0L)), (6, Positive))
        from length in Positive
        select new TestRun(sparse ? NtfsDataRun.Sparse : lcn, length);

    /// <summary>A run as the generators make it (<see cref="NtfsDataRun"/> is internal).</summary>
    public readonly record struct TestRun(long Lcn, long Length);

    public static Arbitrary<TestRun[]> RunLists() => Arb.From(Gen.Choose(0, 30).SelectMany(n => Gen.ArrayOf(Runs, n)));

    private static NtfsDataRun[] ToRuns(TestRun[] runs) => [.. runs.Select(r => new NtfsDataRun(r.Lcn, r.Length))];

    [Property(MaxTest = 500, Arbitrary = [typeof(NtfsDataRunsTests)])]
    public void TryDecode_EncodedRuns_RoundTrips(TestRun[] generated)
    {
        // Given
        var runs = ToRuns(generated);
        var pairs = DataRunEncoder.Encode(runs);

        // When
        var decoded = new List<NtfsDataRun>();
        var ok = NtfsDataRuns.TryDecode(pairs, decoded);

        // Then
        Assert.True(ok);
        Assert.Equal(runs, decoded);
    }

    [Property(MaxTest = 300, Arbitrary = [typeof(NtfsDataRunsTests)])]
    public void TryDecode_TruncatedEncoding_ReturnsFalse(TestRun[] generated)
    {
        // Given: any strict prefix lacks the terminator (or cuts a field).
        var pairs = DataRunEncoder.Encode(ToRuns(generated));

        // When, Then
        for (var cut = 0; cut < pairs.Length; cut++)
        {
            Assert.False(NtfsDataRuns.TryDecode(pairs.AsSpan(0, cut), []));
        }
    }

    [Fact]
    public void TryDecode_KnownPairs_RelativeSignedOffsetsAndSparseRun()
    {
        // Given: 0x18 clusters at 0x5634; 0x10 clusters at 0x5634 - 0x100; a sparse run of 8; 0x20 clusters at +0x200.
        byte[] pairs = [0x21, 0x18, 0x34, 0x56, 0x21, 0x10, 0x00, 0xFF, 0x01, 0x08, 0x21, 0x20, 0x00, 0x02, 0x00];

        // When
        var runs = new List<NtfsDataRun>();
        var ok = NtfsDataRuns.TryDecode(pairs, runs);

        // Then
        Assert.True(ok);
        Assert.Equal(
        [
            new NtfsDataRun(0x5634, 0x18),
            new NtfsDataRun(0x5534, 0x10),
            new NtfsDataRun(NtfsDataRun.Sparse, 8),
            new NtfsDataRun(0x5734, 0x20),
        ], runs);
    }

    [Theory]
    [InlineData(new byte[] { 0x11, 0x00, 0x05, 0x00 })] // zero length
    [InlineData(new byte[] { 0x11, 0x80, 0x05, 0x00 })] // negative length
    [InlineData(new byte[] { 0x11, 0x04, 0xFB, 0x00 })] // LCN -5
    [InlineData(new byte[] { 0x10, 0x05, 0x00 })] // no length field
    [InlineData(new byte[] { 0x19, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 0x00 })] // a 9-byte length
    [InlineData(new byte[] { 0x11, 0x04, 0x05 })] // no terminator
    public void TryDecode_MalformedPairs_ReturnsFalse(byte[] pairs)
    {
        // Given, When
        var ok = NtfsDataRuns.TryDecode(pairs, []);

        // Then
        Assert.False(ok);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF }, -1L)]
    [InlineData(new byte[] { 0x7F }, 127L)]
    [InlineData(new byte[] { 0x00, 0x80 }, -32768L)]
    [InlineData(new byte[] { 0x34, 0x12, 0x00 }, 0x1234L)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }, long.MaxValue)]
    public void ReadSigned_LittleEndianBytes_SignExtends(byte[] bytes, long expected)
    {
        // Given, When, Then
        Assert.Equal(expected, NtfsDataRuns.ReadSigned(bytes));
    }
}
