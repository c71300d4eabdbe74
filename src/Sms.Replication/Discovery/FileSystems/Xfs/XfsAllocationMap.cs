using Sms.Blocks;

namespace Sms.Discovery.FileSystems.Xfs;

/// <summary>A free extent of the by-block-number b+tree, with its AG.</summary>
/// <param name="AgNumber">The allocation group.</param>
/// <param name="Extent">The AG-relative extent.</param>
internal readonly record struct XfsFreeExtent(uint AgNumber, XfsExtent Extent);

/// <summary>What <see cref="XfsFileSystemReader.ReadAllocationMapAsync"/> found, with the reason when it gave up.</summary>
internal sealed record XfsAllocationMap
{
    /// <summary>The allocated byte ranges relative to the file system, or <see langword="null"/> when not understood.</summary>
    public IReadOnlyList<BlockRange>? AllocatedRanges { get; init; }

    /// <summary>The free extents the bno b+trees list, AG by AG in block order (empty when the map failed).</summary>
    public IReadOnlyList<XfsFreeExtent> FreeExtents { get; init; } = [];

    /// <summary>The sum of agf_freeblks (the free extents' total).</summary>
    public long FreeBlocks { get; init; }

    /// <summary>The sum of agf_flcount: AGFL blocks, kept in the map as allocated.</summary>
    public long FreeListBlocks { get; init; }

    /// <summary>Why the map is null, or a remark about what it leaves out (an external log, a realtime device).</summary>
    public string? Note { get; init; }
}
