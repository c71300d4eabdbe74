using Sms.Blocks;

namespace Sms.Replication.Tests.Blocks;

/// <summary>An allocation map with fixed ranges.</summary>
internal sealed class FixedAllocationMap(params BlockRange[] ranges) : IAllocationMap
{
    public IReadOnlyList<BlockRange> AllocatedRanges { get; } = ranges;

    public string Description => "test map";
}
