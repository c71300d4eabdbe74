using System.IO.Hashing;
using System.Text;
using FsCheck.Xunit;
using Sms.Discovery.Partitions;

namespace Sms.Replication.Tests.Discovery.Partitions;

public sealed class GptParserTests
{
    [Property(MaxTest = 300, Arbitrary = [typeof(PartitionArbitraries)])]
    public void ReadUsedEntries_BuiltEntryArray_RoundTrips(GptLayout layout)
    {
        // Given
        var array = GptImage.Entries(layout);

        // When
        var entries = GptParser.ReadUsedEntries(array, layout.EntrySize, layout.EntryCount);

        // Then
        var expected = layout.Partitions
            .OrderBy(p => p.Index)
            .Select(p => new GptEntry(p.Index, p.Type, p.Unique, p.FirstLba, p.LastLba, p.Attributes, p.Name))
            .ToList();
        Assert.Equal(expected, entries);
    }

    [Property(MaxTest = 200, Arbitrary = [typeof(PartitionArbitraries)])]
    public void EntriesCrcMatches_BuiltArray_MatchesUntilAByteChanges(GptLayout layout, byte change)
    {
        // Given
        var array = GptImage.Entries(layout);
        var header = new GptHeader(0x00010000, 92, 0, 1, 0, 0, 0, layout.DiskGuid, 2, layout.EntryCount, layout.EntrySize, Crc32.HashToUInt32(array));
        var damaged = (byte[])array.Clone();
        damaged[change % damaged.Length] ^= (byte)((change % 255) + 1);

        // When
        var intact = GptParser.EntriesCrcMatches(array, header);
        var broken = GptParser.EntriesCrcMatches(damaged, header);

        // Then
        Assert.True(intact);
        Assert.False(broken);
    }

    [Fact]
    public void ReadEntry_MixedEndianGuids_PrintAsTheToolsDo()
    {
        // Given: the Linux filesystem type GUID as GPT stores it on disk.
        var entry = new byte[128];
        Convert.FromHexString("AF3DC60F838472478E793D69D8477DE4").CopyTo(entry, 0);
        Convert.FromHexString("E3008445E49D9F43B86D12F409CD9EF2").CopyTo(entry, 16);

        // When
        var parsed = GptParser.ReadEntry(entry, 0);

        // Then
        Assert.Equal("0fc63daf-8483-4772-8e79-3d69d8477de4", parsed.TypeGuid.ToString("D"));
        Assert.Equal("458400e3-9de4-439f-b86d-12f409cd9ef2", parsed.UniqueGuid.ToString("D"));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("root", "root")]
    [InlineData("swap ü", "swap ü")]
    [InlineData("exactly thirty-six characters long!!", "exactly thirty-six characters long!!")]
    public void ReadName_Utf16LeField_StopsAtTheFirstNul(string stored, string expected)
    {
        // Given
        var field = new byte[72];
        Encoding.Unicode.GetBytes(stored).CopyTo(field, 0);

        // When
        var name = GptParser.ReadName(field);

        // Then
        Assert.Equal(expected, name);
    }
}
