namespace Sms.Discovery.FileSystems.Ntfs;

/// <summary>
/// Decodes mapping pairs (data runs). Each run starts with a header byte whose low nibble is the size of the length
/// field and whose high nibble is the size of the offset field; then the length (little-endian, positive) and the
/// offset (little-endian, signed, relative to the previous run's LCN; absent for a sparse run). A zero header ends
/// the list:
/// <code>
///  [hdr = (offSize &lt;&lt; 4) | lenSize] [length: lenSize bytes] [LCN delta: offSize bytes] ... [00]
/// </code>
/// </summary>
internal static class NtfsDataRuns
{
    /// <summary>Decodes a mapping-pairs array.</summary>
    /// <param name="pairs">The bytes from the mapping-pairs offset to the end of the attribute.</param>
    /// <param name="runs">Receives the runs, in VCN order.</param>
    /// <returns><see langword="false"/> when the array is malformed (a missing terminator, a zero or negative length, an LCN below zero, a field wider than 8 bytes, a total that overflows).</returns>
    public static bool TryDecode(ReadOnlySpan<byte> pairs, List<NtfsDataRun> runs)
    {
        long lcn = 0;
        long clusters = 0;
        var at = 0;
        while (at < pairs.Length)
        {
            var header = pairs[at++];
            if (header == 0)
            {
                return true;
            }

            var lengthSize = header & 0x0F;
            var offsetSize = header >> 4;
            if (lengthSize == 0 || lengthSize > 8 || offsetSize > 8 || at + lengthSize + offsetSize > pairs.Length)
            {
                return false;
            }

            var length = ReadSigned(pairs.Slice(at, lengthSize));
            at += lengthSize;
            if (length <= 0 || length > long.MaxValue - clusters)
            {
                return false;
            }

            clusters += length;
            if (offsetSize == 0)
            {
                runs.Add(new NtfsDataRun(NtfsDataRun.Sparse, length));
                continue;
            }

            var delta = ReadSigned(pairs.Slice(at, offsetSize));
            at += offsetSize;
            if ((delta > 0 && lcn > long.MaxValue - delta) || lcn + delta < 0)
            {
                return false;
            }

            lcn += delta;
            runs.Add(new NtfsDataRun(lcn, length));
        }

        return false;
    }

    /// <summary>Reads a little-endian two's-complement integer of 1 to 8 bytes.</summary>
    /// <param name="bytes">The bytes.</param>
    /// <returns>The sign-extended value.</returns>
    internal static long ReadSigned(ReadOnlySpan<byte> bytes)
    {
        long value = (sbyte)bytes[^1];
        for (var i = bytes.Length - 2; i >= 0; i--)
        {
            value = (value << 8) | bytes[i];
        }

        return value;
    }
}
