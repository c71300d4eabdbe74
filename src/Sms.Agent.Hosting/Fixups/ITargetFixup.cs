namespace Sms.Fixups;

/// <summary>
/// One step that adapts a migrated Linux target before it first boots in its new cloud (fstab by UUID, network by
/// DHCP, source-cloud agents off, …). Steps are registered with dependency injection
/// (<c>services.AddSingleton&lt;ITargetFixup, MyFixup&gt;()</c>) and run in registration order by
/// <see cref="TargetFixupRunner"/>, the SDK's own first.
/// </summary>
/// <remarks>
/// A step changes the target only through <see cref="FixupContext.Root"/> (or a file system from
/// <see cref="FixupContext.OpenVolumeAsync"/>), records each change and each thing it left alone with
/// <see cref="FixupContext.RecordChange"/> and <see cref="FixupContext.RecordSkip"/>, and should be idempotent: run
/// twice, it changes nothing the second time. A step that throws is reported as failed; the others still run.
/// </remarks>
public interface ITargetFixup
{
    /// <summary>The step's name, as reports show it and as <see cref="TargetFixupOptions.DisabledSteps"/> names it.</summary>
    /// <value>A short kebab-case name, for example "fstab-by-uuid".</value>
    string Name { get; }

    /// <summary>Adapts the target.</summary>
    /// <param name="context">The target's file systems, and where to record what was done.</param>
    /// <param name="cancellationToken">Cancels the step.</param>
    /// <returns>What changed and what was skipped; usually <see cref="FixupContext.ToResult"/>.</returns>
    Task<FixupResult> ApplyAsync(FixupContext context, CancellationToken cancellationToken);
}
