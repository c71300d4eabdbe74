namespace Sms.Fixups;

/// <summary>What <see cref="TargetFixupRunner"/> did to a target.</summary>
public sealed record TargetFixupReport
{
    /// <summary>Whether the target was adapted: a root file system was found and every step ran without error.</summary>
    /// <value><see langword="false"/> when no root was found (see <see cref="NotAdapted"/>) or a step failed (see <see cref="FixupResult.Error"/>).</value>
    public required bool Adapted { get; init; }

    /// <summary>The volume of the root file system adapted.</summary>
    /// <value>The volume, or <see langword="null"/> when none was found (or a mounted root was given).</value>
    public TargetVolume? Root { get; init; }

    /// <summary>The volumes found on the target's disks.</summary>
    /// <value>In disk and partition order.</value>
    public IReadOnlyList<TargetVolume> Volumes { get; init; } = [];

    /// <summary>What each step did, in the order they ran.</summary>
    /// <value>Empty when no root was found.</value>
    public IReadOnlyList<FixupResult> Steps { get; init; } = [];

    /// <summary>Why the target (or a volume of it) was not adapted: no ext2/3/4 root, an XFS root, a Windows disk, ….</summary>
    /// <value>Empty when a root was found.</value>
    public IReadOnlyList<string> NotAdapted { get; init; } = [];

    /// <summary>What else was done to the target's file systems: journals replayed before they were read or changed.</summary>
    /// <value>Lines such as "disk 0 partition 1: replayed 3 journal transactions …"; empty when none.</value>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The steps that failed.</summary>
    /// <value>Those with an <see cref="FixupResult.Error"/>.</value>
    public IEnumerable<FixupResult> Failed => Steps.Where(static s => s.Error is not null);
}
