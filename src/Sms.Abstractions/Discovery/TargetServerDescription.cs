namespace Sms.Discovery;

/// <summary>What the feasibility checks need to know of a chosen target server.</summary>
/// <param name="Firmware">How the target boots.</param>
/// <param name="DiskSizes">The sizes of the target's disks in bytes, in attachment order (system disk first).</param>
public sealed record TargetServerDescription(FirmwareType Firmware, IReadOnlyList<long> DiskSizes);
