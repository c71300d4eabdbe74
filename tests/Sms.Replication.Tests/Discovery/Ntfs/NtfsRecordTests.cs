using System.Buffers.Binary;
using Sms.Discovery.FileSystems.Ntfs;

namespace Sms.Replication.Tests.Discovery.Ntfs;

public sealed class NtfsRecordTests
{
    /// <summary>A 1 KiB record with an update sequence array at 0x30 and the given attributes from 0x38.</summary>
    internal static byte[] Record(ushort usn, params byte[][] attributes)
    {
        var r = new byte[1024];
        "FILE"u8.CopyTo(r);
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(0x04), 0x30);
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(0x06), 3);
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(0x14), 0x38);
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(0x16), 1);
        var at = 0x38;
        foreach (var attribute in attributes)
        {
            attribute.CopyTo(r, at);
            at += attribute.Length;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(at), 0xFFFFFFFF);
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(0x18), (uint)(at + 8));
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(0x1C), 1024);

        // Protect: the real last two bytes of each stride go to the array, the USN takes their place.
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(0x30), usn);
        for (var i = 1; i <= 2; i++)
        {
            r.AsSpan((i * 512) - 2, 2).CopyTo(r.AsSpan(0x30 + (i * 2)));
            BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan((i * 512) - 2), usn);
        }

        return r;
    }

    internal static byte[] NonResident(uint type, byte[] pairs, long dataSize, long initialized, long highestVcn)
    {
        var length = (0x40 + pairs.Length + 7) & ~7;
        var a = new byte[length];
        BinaryPrimitives.WriteUInt32LittleEndian(a, type);
        BinaryPrimitives.WriteUInt32LittleEndian(a.AsSpan(4), (uint)length);
        a[8] = 1;
        BinaryPrimitives.WriteInt64LittleEndian(a.AsSpan(0x18), highestVcn);
        BinaryPrimitives.WriteUInt16LittleEndian(a.AsSpan(0x20), 0x40);
        BinaryPrimitives.WriteInt64LittleEndian(a.AsSpan(0x28), dataSize);
        BinaryPrimitives.WriteInt64LittleEndian(a.AsSpan(0x30), dataSize);
        BinaryPrimitives.WriteInt64LittleEndian(a.AsSpan(0x38), initialized);
        pairs.CopyTo(a, 0x40);
        return a;
    }

    internal static byte[] Resident(uint type, byte[] value, byte nameLength = 0)
    {
        var length = (0x18 + value.Length + 7) & ~7;
        var a = new byte[length];
        BinaryPrimitives.WriteUInt32LittleEndian(a, type);
        BinaryPrimitives.WriteUInt32LittleEndian(a.AsSpan(4), (uint)length);
        a[9] = nameLength;
        BinaryPrimitives.WriteUInt32LittleEndian(a.AsSpan(0x10), (uint)value.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(a.AsSpan(0x14), 0x18);
        value.CopyTo(a, 0x18);
        return a;
    }

    [Fact]
    public void TryApplyFixups_ProtectedRecord_RestoresStrideTails()
    {
        // Given: the update sequence array holds the real stride tails, the tails hold the USN.
        var record = Record(0x0007);
        record[0x32] = 0xAB;
        record[0x33] = 0xCD;
        record[0x34] = 0x12;
        record[0x35] = 0x34;

        // When
        var ok = NtfsRecord.TryApplyFixups(record);

        // Then
        Assert.True(ok);
        Assert.Equal([0xAB, 0xCD], record[510..512]);
        Assert.Equal([0x12, 0x34], record[1022..1024]);
    }

    [Theory]
    [InlineData(510)] // first stride torn
    [InlineData(1023)] // second stride torn
    [InlineData(0)] // magic
    [InlineData(0x06)] // update sequence count
    public void TryApplyFixups_DamagedRecord_ReturnsFalse(int offset)
    {
        // Given
        var record = Record(0x0007);
        record[offset] ^= 0x5A;

        // When
        var ok = NtfsRecord.TryApplyFixups(record);

        // Then
        Assert.False(ok);
    }

    [Fact]
    public void TryFindAttribute_NamedAndUnnamedData_FindsUnnamedOnly()
    {
        // Given: a named $DATA (a stream) first, then the unnamed one.
        var named = Resident(NtfsRecord.Data, [1, 2, 3], nameLength: 4);
        var unnamed = Resident(NtfsRecord.Data, [9, 8, 7, 6]);
        var record = Record(1, named, unnamed);
        Assert.True(NtfsRecord.TryApplyFixups(record));

        // When
        var found = NtfsRecord.TryFindAttribute(record, NtfsRecord.Data, out var start, out var length);

        // Then
        Assert.True(found);
        Assert.Equal(0x38 + named.Length, start);
        Assert.True(NtfsRecord.TryGetResidentValue(record.AsSpan(start, length), out var valueStart, out var valueLength));
        Assert.Equal([9, 8, 7, 6], record.AsSpan(start + valueStart, valueLength).ToArray());
        Assert.False(NtfsRecord.TryFindAttribute(record, NtfsRecord.AttributeList, out _, out _));
    }

    [Fact]
    public void TryFindAttribute_AttributeLengthPastRecord_ReturnsFalse()
    {
        // Given
        var attribute = Resident(NtfsRecord.Data, [1]);
        BinaryPrimitives.WriteUInt32LittleEndian(attribute.AsSpan(4), 5000);
        var record = Record(1, attribute);
        Assert.True(NtfsRecord.TryApplyFixups(record));

        // When, Then
        Assert.False(NtfsRecord.TryFindAttribute(record, NtfsRecord.Data, out _, out _));
    }

    [Fact]
    public void TryReadNonResident_DataAttribute_SizesAndRuns()
    {
        // Given
        var attribute = NonResident(NtfsRecord.Data, [0x11, 0x02, 0x20, 0x00], dataSize: 600, initialized: 512, highestVcn: 1);
        var runs = new List<NtfsDataRun>();

        // When
        var ok = NtfsRecord.TryReadNonResident(attribute, out var header, runs);

        // Then
        Assert.True(ok);
        Assert.Equal(new NtfsNonResidentHeader(0, 1, 600, 512), header);
        Assert.Equal([new NtfsDataRun(0x20, 2)], runs);
    }
}
