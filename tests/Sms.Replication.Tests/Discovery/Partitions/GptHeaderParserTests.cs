using System.Buffers.Binary;
using System.IO.Hashing;
using FsCheck;
using FsCheck.Xunit;
using Sms.Discovery.Partitions;

namespace Sms.Replication.Tests.Discovery.Partitions;

public sealed class GptHeaderParserTests
{
    [Property(MaxTest = 300, Arbitrary = [typeof(PartitionArbitraries)])]
    public void TryParse_BuiltPrimaryAndBackupHeaders_RoundTrip(GptLayout layout)
    {
        // Given
        var crc = Crc32.HashToUInt32(GptImage.Entries(layout));
        var primary = GptImage.Header(layout, primary: true, crc);
        var backup = GptImage.Header(layout, primary: false, crc);

        // When
        var primaryProblem = GptHeaderParser.TryParse(primary, 1, layout.DiskSectors, out var primaryHeader);
        var backupProblem = GptHeaderParser.TryParse(backup, layout.BackupHeaderLba, layout.DiskSectors, out var backupHeader);

        // Then
        Assert.Equal(GptProblem.None, primaryProblem);
        Assert.Equal(GptProblem.None, backupProblem);
        Assert.Equal(0x00010000u, primaryHeader.Revision);
        Assert.Equal(92, primaryHeader.HeaderSize);
        Assert.Equal(1, primaryHeader.MyLba);
        Assert.Equal(layout.BackupHeaderLba, primaryHeader.AlternateLba);
        Assert.Equal(layout.FirstUsableLba, primaryHeader.FirstUsableLba);
        Assert.Equal(layout.LastUsableLba, primaryHeader.LastUsableLba);
        Assert.Equal(layout.DiskGuid, primaryHeader.DiskGuid);
        Assert.Equal(2, primaryHeader.EntriesLba);
        Assert.Equal(layout.EntryCount, primaryHeader.EntryCount);
        Assert.Equal(layout.EntrySize, primaryHeader.EntrySize);
        Assert.Equal(crc, primaryHeader.EntriesCrc32);
        Assert.Equal(layout.BackupHeaderLba, backupHeader.MyLba);
        Assert.Equal(1, backupHeader.AlternateLba);
        Assert.Equal(layout.BackupEntriesLba, backupHeader.EntriesLba);
        Assert.Equal(primaryHeader with { MyLba = 0, AlternateLba = 0, EntriesLba = 0, HeaderCrc32 = 0 }, backupHeader with { MyLba = 0, AlternateLba = 0, EntriesLba = 0, HeaderCrc32 = 0 });
    }

    [Property(MaxTest = 500, Arbitrary = [typeof(PartitionArbitraries)])]
    public void TryParse_AnySingleBitOfTheHeaderFlipped_Fails(GptLayout layout, NonNegativeInt bitSeed)
    {
        // Given
        var header = GptImage.Header(layout, primary: true, Crc32.HashToUInt32(GptImage.Entries(layout)));
        var bit = bitSeed.Get % (92 * 8);
        header[bit / 8] ^= (byte)(1 << (bit % 8));

        // When
        var problem = GptHeaderParser.TryParse(header, 1, layout.DiskSectors, out _);

        // Then: the signature check catches its own bytes, the size check or the CRC32 the size field, the CRC32 the rest.
        var offset = bit / 8;
        if (offset < 8)
        {
            Assert.Equal(GptProblem.NoSignature, problem);
        }
        else if (offset is >= 12 and < 16)
        {
            Assert.True(problem is GptProblem.BadHeaderSize or GptProblem.HeaderCrcMismatch, $"{problem}");
        }
        else
        {
            Assert.Equal(GptProblem.HeaderCrcMismatch, problem);
        }
    }

    [Fact]
    public void TryParse_HeaderReadFromAnotherLba_IsWrongLba()
    {
        // Given: a valid primary header found where the backup should be.
        var layout = new GptLayout(512, 10_000, 128, 128, Guid.NewGuid(), []);
        var header = GptImage.Header(layout, primary: true, Crc32.HashToUInt32(GptImage.Entries(layout)));

        // When
        var problem = GptHeaderParser.TryParse(header, layout.BackupHeaderLba, layout.DiskSectors, out _);

        // Then
        Assert.Equal(GptProblem.WrongLba, problem);
    }

    [Fact]
    public void TryParse_DiskSmallerThanTheHeaderSays_IsBadUsableRange()
    {
        // Given: an image truncated after partitioning.
        var layout = new GptLayout(512, 10_000, 128, 128, Guid.NewGuid(), []);
        var header = GptImage.Header(layout, primary: true, Crc32.HashToUInt32(GptImage.Entries(layout)));

        // When
        var problem = GptHeaderParser.TryParse(header, 1, 5_000, out _);

        // Then
        Assert.Equal(GptProblem.BadUsableRange, problem);
    }

    [Theory]
    [InlineData(128u, 100u)]
    [InlineData(128u, 64u)]
    [InlineData(128u, 8192u)]
    [InlineData(1u << 20, 128u)]
    public void TryParse_ImpossibleEntryGeometry_IsBadEntryGeometry(uint entryCount, uint entrySize)
    {
        // Given
        var layout = new GptLayout(512, 100_000, 128, 128, Guid.NewGuid(), []);
        var header = GptImage.Header(layout, primary: true, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(80), entryCount);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(84), entrySize);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), Crc32.HashToUInt32(header.AsSpan(0, 92)));

        // When
        var problem = GptHeaderParser.TryParse(header, 1, layout.DiskSectors, out _);

        // Then
        Assert.Equal(GptProblem.BadEntryGeometry, problem);
    }
}
