namespace Sms.Discovery;

/// <summary>Everything discovery found about a source: the host (when it is the running one), its disks, and the feasibility findings.</summary>
public sealed record SourceInventory
{
    /// <summary>The host, when the running host was inventoried.</summary>
    /// <value>The host, or <see langword="null"/> for a single device or image.</value>
    public HostInventory? Host { get; init; }

    /// <summary>The disks.</summary>
    /// <value>Empty when none could be read.</value>
    public IReadOnlyList<DiskInventory> Disks { get; init; } = [];

    /// <summary>The feasibility findings.</summary>
    /// <value>Empty when all is well.</value>
    public IReadOnlyList<CheckFinding> Findings { get; init; } = [];

    /// <summary>Disks that could not be read, with the reason (permission, say).</summary>
    /// <value>Empty when none.</value>
    public IReadOnlyList<string> Unreadable { get; init; } = [];
}
