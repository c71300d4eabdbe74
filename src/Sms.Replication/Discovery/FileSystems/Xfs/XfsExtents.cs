namespace Sms.Discovery.FileSystems.Xfs;

/// <summary>Extent algebra inside one allocation group.</summary>
internal static class XfsExtents
{
    /// <summary>
    /// The blocks of <c>[0, agLength)</c> that no free extent covers, ascending. The free extents must be ascending,
    /// non-empty, non-overlapping and inside the AG (adjacent ones are allowed); otherwise nothing is added.
    /// </summary>
    /// <param name="free">The free extents, as the by-block-number b+tree lists them.</param>
    /// <param name="agLength">The length of the allocation group in blocks.</param>
    /// <param name="allocated">Receives the complement (appended).</param>
    /// <returns><see langword="false"/> when <paramref name="free"/> is not a valid ascending list inside the AG.</returns>
    public static bool TryComplement(ReadOnlySpan<XfsExtent> free, uint agLength, List<XfsExtent> allocated)
    {
        ArgumentNullException.ThrowIfNull(allocated);
        if (!IsValidFreeList(free, agLength))
        {
            return false;
        }

        long cursor = 0;
        for (var i = 0; i < free.Length; i++)
        {
            if (free[i].Start > cursor)
            {
                allocated.Add(new XfsExtent((uint)cursor, (uint)(free[i].Start - cursor)));
            }

            cursor = free[i].End;
        }

        if (cursor < agLength)
        {
            allocated.Add(new XfsExtent((uint)cursor, (uint)(agLength - cursor)));
        }

        return true;
    }

    /// <summary>Whether the extents are non-empty, ascending, non-overlapping and end within <paramref name="agLength"/>.</summary>
    /// <param name="free">The extents.</param>
    /// <param name="agLength">The AG length in blocks.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool IsValidFreeList(ReadOnlySpan<XfsExtent> free, uint agLength)
    {
        long previousEnd = 0;
        for (var i = 0; i < free.Length; i++)
        {
            var extent = free[i];
            if (extent.Length == 0 || extent.Start < previousEnd || extent.End > agLength)
            {
                return false;
            }

            previousEnd = extent.End;
        }

        return true;
    }

    /// <summary>Whether a block falls inside one of the ascending extents (binary search).</summary>
    /// <param name="extents">Ascending, non-overlapping extents.</param>
    /// <param name="block">The AG block.</param>
    /// <returns><see langword="true"/> when covered.</returns>
    public static bool Contains(ReadOnlySpan<XfsExtent> extents, uint block)
    {
        int low = 0, high = extents.Length - 1;
        while (low <= high)
        {
            var mid = low + ((high - low) >> 1);
            if (block < extents[mid].Start)
            {
                high = mid - 1;
            }
            else if (block >= extents[mid].End)
            {
                low = mid + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }
}
