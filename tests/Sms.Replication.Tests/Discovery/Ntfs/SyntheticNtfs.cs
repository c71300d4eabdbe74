using System.Text;
using Sms.Discovery.FileSystems.Ntfs;

namespace Sms.Replication.Tests.Discovery.Ntfs;

/// <summary>
/// A hand-built NTFS volume with 512-byte sectors and clusters and 1 KiB records: the boot sector (and its backup
/// after the last cluster), $MFT at cluster 4 (records 0..7), $Volume with a label, and $Bitmap stored in the given runs.
/// </summary>
internal static class SyntheticNtfs
{
    public const int Cluster = 512;
    public const long MftLcn = 4;
    public const int RecordBytes = 1024;

    public static byte[] Build(long clusters, byte[] bitmap, IReadOnlyList<NtfsDataRun> bitmapRuns, long initialized, string? label = "synthetic", bool attributeList = false)
    {
        var disk = new byte[(clusters + 1) * Cluster];
        var boot = NtfsBootSectorTests.BootSector(sectorsPerCluster: 1, clustersPerRecord: 2, totalSectors: (ulong)clusters, mftLcn: MftLcn);
        boot.CopyTo(disk, 0);
        boot.CopyTo(disk, clusters * Cluster);

        var mftData = NtfsRecordTests.NonResident(NtfsRecord.Data, DataRunEncoder.Encode([new NtfsDataRun(MftLcn, 16)]), 8 * RecordBytes, 8 * RecordBytes, 15);
        WriteRecord(disk, 0, NtfsRecordTests.Record(1, mftData));
        if (label is not null)
        {
            WriteRecord(disk, 3, NtfsRecordTests.Record(1, NtfsRecordTests.Resident(NtfsRecord.VolumeName, Encoding.Unicode.GetBytes(label))));
        }

        long mapped = 0;
        foreach (var run in bitmapRuns)
        {
            mapped += run.Length;
        }

        var bitmapData = NtfsRecordTests.NonResident(NtfsRecord.Data, DataRunEncoder.Encode(bitmapRuns), bitmap.Length, initialized, mapped - 1);
        var record6 = attributeList
            ? NtfsRecordTests.Record(1, NtfsRecordTests.Resident(NtfsRecord.AttributeList, new byte[32]), bitmapData)
            : NtfsRecordTests.Record(1, bitmapData);
        WriteRecord(disk, 6, record6);

        long at = 0;
        foreach (var run in bitmapRuns)
        {
            var bytes = run.Length * Cluster;
            if (!run.IsSparse && at < bitmap.Length)
            {
                var count = (int)Math.Min(bytes, bitmap.Length - at);
                bitmap.AsSpan((int)at, count).CopyTo(disk.AsSpan((int)(run.Lcn * Cluster)));
            }

            at += bytes;
        }

        return disk;
    }

    private static void WriteRecord(byte[] disk, int number, byte[] record)
        => record.CopyTo(disk, (MftLcn * Cluster) + (number * RecordBytes));
}
