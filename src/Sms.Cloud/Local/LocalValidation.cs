namespace Sms.Cloud.Local;

/// <summary>Request checks the local cloud makes as a cloud API would, answering 400 (<see cref="LocalCloudErrors.Invalid"/>).</summary>
internal static class LocalValidation
{
    /// <summary>The largest volume, in GiB (as EVS).</summary>
    public const int MaxVolumeGiB = 32768;

    /// <summary>A resource name: 1–64 characters without control characters.</summary>
    /// <exception cref="CloudRequestFailedException">It is not.</exception>
    public static string Name(string? name, string what)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 64 || name.Any(char.IsControl))
        {
            throw LocalCloudErrors.Invalid($"The {what} name must be 1-64 characters without control characters.");
        }

        return name;
    }

    /// <summary>A volume size in GiB.</summary>
    /// <exception cref="CloudRequestFailedException">Out of range.</exception>
    public static int SizeGiB(int sizeGiB, string what)
        => sizeGiB is >= 1 and <= MaxVolumeGiB ? sizeGiB : throw LocalCloudErrors.Invalid($"The {what} size must be 1-{MaxVolumeGiB} GiB, not {sizeGiB}.");

    /// <summary>An id argument.</summary>
    /// <exception cref="ArgumentException">Empty.</exception>
    public static string Id(string? id, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(id, paramName);
        return id;
    }
}
