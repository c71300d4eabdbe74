namespace Sms.Discovery.FileSystems.Ntfs;

/// <summary>One extent of a non-resident attribute: <paramref name="Length"/> clusters at <paramref name="Lcn"/>.</summary>
/// <param name="Lcn">The first logical cluster, or <see cref="Sparse"/> for a run that is not stored (reads as zeros).</param>
/// <param name="Length">The clusters in the run; positive.</param>
internal readonly record struct NtfsDataRun(long Lcn, long Length)
{
    /// <summary>The <see cref="Lcn"/> of a sparse run.</summary>
    public const long Sparse = -1;

    /// <summary>Whether the run is sparse.</summary>
    public bool IsSparse => Lcn == Sparse;
}
