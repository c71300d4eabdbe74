using FsCheck.Xunit;

namespace Sms.Replication.Tests.Discovery.Ext;

/// <summary>Malformed on-disk data never throws: the reader describes what it can and keeps the whole partition otherwise.</summary>
public sealed class ExtGarbagePropertyTests
{
    [Property(MaxTest = 400)]
    public void ProbeAsync_RandomSuperblockAndDescriptors_NeverThrowsAndMapAgreesWithNote(int seed)
    {
        // Given
        var bytes = ExtGarbage.RandomDisk(seed);

        // When / Then
        ExtGarbage.ReadAndAssertConsistent(bytes, expectDescription: true);
    }

    [Property(MaxTest = 400, Arbitrary = [typeof(ExtGarbage)])]
    public void ProbeAsync_CorruptedRealImage_NeverThrowsAndMapAgreesWithNote(Corruption corruption)
    {
        // Given
        var bytes = ExtGarbage.Apply(corruption);

        // When / Then
        ExtGarbage.ReadAndAssertConsistent(bytes, expectDescription: false);
    }

    [Fact]
    public async Task ProbeAsync_UncorruptedSmallImages_MapEachOne()
    {
        foreach (var image in ExtGarbage.Images)
        {
            // Given / When
            var (description, ranges) = await ExtScratch.ReadAsync(new MemoryBlockSource(image), 0, image.Length);

            // Then
            Assert.Null(description?.Note);
            Assert.NotNull(ranges);
            ExtGarbage.AssertConsistent(description, ranges, null);
        }
    }
}
