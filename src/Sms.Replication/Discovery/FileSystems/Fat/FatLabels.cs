using System.Text;

namespace Sms.Discovery.FileSystems.Fat;

/// <summary>
/// Volume labels, as blkid reads them: the root directory's volume-label entry when there is one, else the BPB's.
/// A directory entry is 32 bytes: name[11] at 0x00 (0x00 ends the directory, 0xE5 marks a deleted entry, 0x05
/// stands for a leading 0xE5), attributes at 0x0B (0x08 volume id, 0x10 directory, 0x0F a long-name part).
/// </summary>
internal static class FatLabels
{
    private const int EntrySize = 32;
    private const int NameLength = 11;
    private const int AttributesOffset = 0x0B;
    private const byte VolumeIdAttribute = 0x08;
    private const byte DirectoryAttribute = 0x10;
    private const byte LongNameMask = 0x3F;
    private const byte LongName = 0x0F;
    private const byte Deleted = 0xE5;

    /// <summary>Decodes an 11-byte label: padding removed, "NO NAME" and blank labels are none.</summary>
    /// <param name="raw">The 11 bytes.</param>
    /// <returns>The label, or <see langword="null"/>.</returns>
    public static string? Decode(ReadOnlySpan<byte> raw)
    {
        raw = raw[..Math.Min(raw.Length, NameLength)];
        var length = raw.Length;
        while (length > 0 && (raw[length - 1] == (byte)' ' || raw[length - 1] == 0))
        {
            length--;
        }

        if (length == 0)
        {
            return null;
        }

        Span<byte> copy = stackalloc byte[NameLength];
        raw[..length].CopyTo(copy);
        if (copy[0] == 0x05)
        {
            copy[0] = Deleted;
        }

        var label = Encoding.Latin1.GetString(copy[..length]);
        return label == "NO NAME" ? null : label;
    }

    /// <summary>Finds the volume-label entry in (the start of) a root directory.</summary>
    /// <param name="directory">Directory entries.</param>
    /// <param name="label">The label, when an entry is found and is not blank or "NO NAME".</param>
    /// <returns><see langword="true"/> when a volume-label entry was found.</returns>
    public static bool TryFindInDirectory(ReadOnlySpan<byte> directory, out string? label)
    {
        label = null;
        for (var at = 0; at + EntrySize <= directory.Length; at += EntrySize)
        {
            var entry = directory.Slice(at, EntrySize);
            if (entry[0] == 0)
            {
                return false;
            }

            var attributes = entry[AttributesOffset];
            if (entry[0] == Deleted || (attributes & LongNameMask) == LongName)
            {
                continue;
            }

            if ((attributes & (VolumeIdAttribute | DirectoryAttribute)) == VolumeIdAttribute)
            {
                label = Decode(entry[..NameLength]);
                return true;
            }
        }

        return false;
    }
}
