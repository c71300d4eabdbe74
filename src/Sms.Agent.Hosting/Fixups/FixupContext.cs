using System.Collections.Frozen;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Sms.Fixups;

/// <summary>
/// What a fix-up step works on: the target's root file system, the other volumes of its disks, what is known of the
/// source, and the record of what the step changes and leaves. <see cref="TargetFixupRunner"/> makes one per step.
/// </summary>
public sealed class FixupContext
{
    private readonly List<FixupChange> _changes = [];
    private readonly List<FixupSkip> _skipped = [];

    /// <summary>The target's root file system (the one with <c>/etc/fstab</c>).</summary>
    /// <value>The file system.</value>
    public required ITargetFileSystem Root { get; init; }

    /// <summary>The volume the root file system is on, when known.</summary>
    /// <value>The volume, or <see langword="null"/> (a mounted root given directly).</value>
    public TargetVolume? RootVolume { get; init; }

    /// <summary>Every volume found on the target's disks, in disk order and partition order: device, UUID, label, kind.</summary>
    /// <value>Empty when the disks were not inspected.</value>
    public IReadOnlyList<TargetVolume> Volumes { get; init; } = [];

    /// <summary>
    /// Names the source gave its disks other than the kernel's (<c>/dev/disk/by-path/…</c>, <c>/dev/disk/by-id/…</c>,
    /// or a kernel name when the source's disk order is not sda, sdb, …), each to its disk index.
    /// </summary>
    /// <value>Empty by default: kernel names map by their letter or number.</value>
    public IReadOnlyDictionary<string, int> SourceDiskAliases { get; init; } = FrozenDictionary<string, int>.Empty;

    /// <summary>The cloud the target runs in, so that its own agents are not disabled (see <see cref="SourceCloudAgent.Cloud"/>).</summary>
    /// <value>For example "huaweicloud", "alibaba", "local"; <see langword="null"/> when not known.</value>
    public string? TargetCloud { get; init; }

    /// <summary>Where the step may log.</summary>
    /// <value>Never <see langword="null"/>.</value>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>Opens the file system of another volume, when the SDK can change it (ext2/3/4); set by the runner.</summary>
    /// <value>The opener, or <see langword="null"/> when other volumes cannot be opened.</value>
    public Func<TargetVolume, CancellationToken, Task<ITargetFileSystem?>>? VolumeOpener { get; init; }

    /// <summary>The changes recorded so far.</summary>
    /// <value>In the order recorded.</value>
    public IReadOnlyList<FixupChange> Changes => _changes;

    /// <summary>What was recorded as left alone so far.</summary>
    /// <value>In the order recorded.</value>
    public IReadOnlyList<FixupSkip> Skipped => _skipped;

    /// <summary>Opens another volume's file system (a separate <c>/boot</c>, say).</summary>
    /// <param name="volume">One of <see cref="Volumes"/>.</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <returns>The file system, or <see langword="null"/> when it cannot be changed without mounting (not ext2/3/4) or no opener is set.</returns>
    public Task<ITargetFileSystem?> OpenVolumeAsync(TargetVolume volume, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        if (volume == RootVolume)
        {
            return Task.FromResult<ITargetFileSystem?>(Root);
        }

        return VolumeOpener is null ? Task.FromResult<ITargetFileSystem?>(null) : VolumeOpener(volume, cancellationToken);
    }

    /// <summary>Records a change.</summary>
    /// <param name="path">The path on the target.</param>
    /// <param name="action">What was done.</param>
    /// <param name="detail">What changed, in a line.</param>
    public void RecordChange(string path, FixupAction action, string detail)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(detail);
        _changes.Add(new FixupChange { Path = path, Action = action, Detail = detail });
    }

    /// <summary>Records something left alone.</summary>
    /// <param name="path">The path on the target, or what was looked for.</param>
    /// <param name="reason">Why.</param>
    public void RecordSkip(string path, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        _skipped.Add(new FixupSkip { Path = path, Reason = reason });
    }

    /// <summary>The result of a step: what was recorded.</summary>
    /// <param name="step">The step's name.</param>
    /// <param name="error">Why it failed, or <see langword="null"/>.</param>
    /// <returns>The result.</returns>
    public FixupResult ToResult(string step, string? error = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(step);
        return new FixupResult { Step = step, Changes = [.. _changes], Skipped = [.. _skipped], Error = error };
    }
}
