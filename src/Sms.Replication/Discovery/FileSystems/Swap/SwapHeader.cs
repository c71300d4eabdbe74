using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Sms.Discovery.FileSystems.Swap;

/// <summary>
/// The Linux swap header: the first page, with the magic in its last 10 bytes ("SWAPSPACE2", or "SWAP-SPACE" for
/// the old version 0). Version 1 fields, in the writer's byte order (the version, 1, tells which):
/// <code>
///  1024 version u32   1028 last_page u32   1032 nr_badpages u32   1036 uuid[16]   1052 label[16]
/// </code>
/// </summary>
internal sealed record SwapHeader
{
    /// <summary>The page sizes tried, smallest first.</summary>
    public static readonly int[] PageSizes = [4096, 8192, 16384, 32768, 65536];

    private const int MagicLength = 10;
    private const int VersionOffset = 1024;
    private const int LastPageOffset = 1028;
    private const int UuidOffset = 1036;
    private const int LabelOffset = 1052;
    private const int LabelSize = 16;

    private static ReadOnlySpan<byte> Magic2 => "SWAPSPACE2"u8;

    private static ReadOnlySpan<byte> Magic1 => "SWAP-SPACE"u8;

    /// <summary>The page size whose last bytes hold the magic.</summary>
    public int PageSize { get; init; }

    /// <summary>The header version: 0 or 1.</summary>
    public int Version { get; init; }

    /// <summary>The last usable page (version 1), or 0.</summary>
    public long LastPage { get; init; }

    /// <summary>The UUID, or <see langword="null"/> when all zero or version 0.</summary>
    public string? Uuid { get; init; }

    /// <summary>The label, or <see langword="null"/> when blank or version 0.</summary>
    public string? Label { get; init; }

    /// <summary>Parses the header from the start of the area.</summary>
    /// <param name="start">The first bytes of the area (up to the largest page size).</param>
    /// <param name="header">The header, when one is found.</param>
    /// <returns><see langword="false"/> when no page size carries a swap magic.</returns>
    public static bool TryParse(ReadOnlySpan<byte> start, [NotNullWhen(true)] out SwapHeader? header)
    {
        header = null;
        foreach (var pageSize in PageSizes)
        {
            if (start.Length < pageSize)
            {
                return false;
            }

            var magic = start.Slice(pageSize - MagicLength, MagicLength);
            if (magic.SequenceEqual(Magic1))
            {
                header = new SwapHeader { PageSize = pageSize, Version = 0 };
                return true;
            }

            if (magic.SequenceEqual(Magic2))
            {
                return TryParseVersion1(start, pageSize, out header);
            }
        }

        return false;
    }

    private static bool TryParseVersion1(ReadOnlySpan<byte> page, int pageSize, [NotNullWhen(true)] out SwapHeader? header)
    {
        header = null;
        var version = BinaryPrimitives.ReadUInt32LittleEndian(page[VersionOffset..]);
        bool bigEndian;
        if (version == 1)
        {
            bigEndian = false;
        }
        else if (BinaryPrimitives.ReverseEndianness(version) == 1)
        {
            bigEndian = true;
        }
        else
        {
            return false;
        }

        var lastPage = bigEndian
            ? BinaryPrimitives.ReadUInt32BigEndian(page[LastPageOffset..])
            : BinaryPrimitives.ReadUInt32LittleEndian(page[LastPageOffset..]);
        var uuid = page.Slice(UuidOffset, 16);
        var label = page.Slice(LabelOffset, LabelSize);
        var end = label.IndexOf((byte)0);
        label = end < 0 ? label : label[..end];
        header = new SwapHeader
        {
            PageSize = pageSize,
            Version = 1,
            LastPage = lastPage,
            Uuid = uuid.IndexOfAnyExcept((byte)0) < 0 ? null : new Guid(uuid, bigEndian: true).ToString(),
            Label = label.IsEmpty ? null : Encoding.UTF8.GetString(label),
        };
        return true;
    }
}
