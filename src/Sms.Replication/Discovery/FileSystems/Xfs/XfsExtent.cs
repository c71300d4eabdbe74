namespace Sms.Discovery.FileSystems.Xfs;

/// <summary>A run of file-system blocks inside one allocation group: <c>[Start, Start + Length)</c>, AG-relative.</summary>
/// <param name="Start">The first AG block.</param>
/// <param name="Length">The number of blocks.</param>
internal readonly record struct XfsExtent(uint Start, uint Length)
{
    /// <summary>The first block after the extent (64-bit, so that it cannot wrap).</summary>
    public long End => (long)Start + Length;
}
