namespace Sms.Discovery.FileSystems.Ntfs;

/// <summary>The sizes of a non-resident attribute extent.</summary>
/// <param name="LowestVcn">The first VCN the extent maps.</param>
/// <param name="HighestVcn">The last VCN it maps.</param>
/// <param name="DataSize">The attribute's size in bytes.</param>
/// <param name="InitializedSize">The bytes written; the rest reads as zeros.</param>
internal readonly record struct NtfsNonResidentHeader(long LowestVcn, long HighestVcn, long DataSize, long InitializedSize);
