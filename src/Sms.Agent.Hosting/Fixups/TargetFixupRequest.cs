using System.Collections.Frozen;

namespace Sms.Fixups;

/// <summary>What to adapt: the target's disks, and what is known of the source and the target's cloud.</summary>
public sealed record TargetFixupRequest
{
    /// <summary>The target's volume image files (or devices), in the source's disk order: the first is the source's first disk.</summary>
    /// <value>At least one path.</value>
    public required IReadOnlyList<string> VolumeImages { get; init; }

    /// <summary>
    /// Names the source had for its disks besides the kernel's, each to its disk index: <c>/dev/disk/by-path/…</c>,
    /// <c>/dev/disk/by-id/…</c>, or kernel names when the source's disks were not sda, sdb, … in order (see
    /// <see cref="FixupContext.SourceDiskAliases"/>).
    /// </summary>
    /// <value>Empty by default.</value>
    public IReadOnlyDictionary<string, int> SourceDiskAliases { get; init; } = FrozenDictionary<string, int>.Empty;

    /// <summary>The cloud the target runs in; agents of that cloud are left enabled.</summary>
    /// <value>One of <see cref="SourceCloudAgent.Clouds"/>, "local", or <see langword="null"/> when not known (then every known agent found is disabled).</value>
    public string? TargetCloud { get; init; }
}
