namespace Sms.Blocks;

/// <summary>
/// The ranges of a disk that hold "valid" blocks: those a file system has allocated. A block source that is given
/// a map reads and sends only these ranges; free space, full of stale data on any real disk, is never read.
/// </summary>
public interface IAllocationMap
{
    /// <summary>The allocated ranges, ascending, non-overlapping, within the disk.</summary>
    /// <value>The ranges; empty when nothing is allocated.</value>
    IReadOnlyList<BlockRange> AllocatedRanges { get; }

    /// <summary>Where the map came from (for example "ext4 block bitmaps"), for the inventory and the summary.</summary>
    /// <value>A short description.</value>
    string Description { get; }
}
