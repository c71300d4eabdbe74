using Sms.Discovery.FileSystems.Ntfs;

namespace Sms.Replication.Tests.Discovery.Ntfs;

/// <summary>Encodes runs as mapping pairs the way NTFS writers do: the fewest bytes that keep each field's sign.</summary>
internal static class DataRunEncoder
{
    public static byte[] Encode(IReadOnlyList<NtfsDataRun> runs)
    {
        var bytes = new List<byte>();
        long previous = 0;
        foreach (var run in runs)
        {
            var lengthSize = SignedSize(run.Length);
            if (run.IsSparse)
            {
                bytes.Add((byte)lengthSize);
                Append(bytes, run.Length, lengthSize);
                continue;
            }

            var delta = run.Lcn - previous;
            var offsetSize = SignedSize(delta);
            bytes.Add((byte)((offsetSize << 4) | lengthSize));
            Append(bytes, run.Length, lengthSize);
            Append(bytes, delta, offsetSize);
            previous = run.Lcn;
        }

        bytes.Add(0);
        return [.. bytes];
    }

    private static int SignedSize(long value)
    {
        for (var size = 1; size < 8; size++)
        {
            var limit = 1L << ((8 * size) - 1);
            if (value >= -limit && value < limit)
            {
                return size;
            }
        }

        return 8;
    }

    private static void Append(List<byte> bytes, long value, int size)
    {
        for (var i = 0; i < size; i++)
        {
            bytes.Add((byte)(value >> (8 * i)));
        }
    }
}
