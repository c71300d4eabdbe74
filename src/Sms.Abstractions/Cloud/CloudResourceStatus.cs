namespace Sms.Cloud;

/// <summary>
/// A resource status as the provider spells it (ACTIVE, SHUTOFF, available, in-use, BUILD…): an extensible set,
/// compared case-insensitively, with the values the SDK relies on named here.
/// </summary>
/// <param name="Value">The provider's status text.</param>
public readonly record struct CloudResourceStatus(string Value)
{
    /// <summary>A server that is running.</summary>
    public static CloudResourceStatus Active { get; } = new("ACTIVE");

    /// <summary>A server that is stopped.</summary>
    public static CloudResourceStatus Shutoff { get; } = new("SHUTOFF");

    /// <summary>A resource being created.</summary>
    public static CloudResourceStatus Building { get; } = new("BUILD");

    /// <summary>A volume or snapshot that is ready and not attached.</summary>
    public static CloudResourceStatus Available { get; } = new("available");

    /// <summary>A volume attached to a server.</summary>
    public static CloudResourceStatus InUse { get; } = new("in-use");

    /// <summary>A resource in error.</summary>
    public static CloudResourceStatus Error { get; } = new("ERROR");

    /// <summary>Compares case-insensitively.</summary>
    /// <param name="other">The other status.</param>
    /// <returns><see langword="true"/> when equal ignoring case.</returns>
    public bool Equals(CloudResourceStatus other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <summary>A case-insensitive hash.</summary>
    /// <returns>The hash.</returns>
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value ?? string.Empty);

    /// <summary>The status text.</summary>
    /// <returns>The value.</returns>
    public override string ToString() => Value ?? string.Empty;
}
