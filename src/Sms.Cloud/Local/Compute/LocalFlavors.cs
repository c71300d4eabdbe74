namespace Sms.Cloud.Local.Compute;

/// <summary>The local cloud's flavors, named after Huawei Cloud's general-purpose s6 family.</summary>
internal static class LocalFlavors
{
    /// <summary>Every flavor, smallest first.</summary>
    public static IReadOnlyList<CloudFlavor> All { get; } =
    [
        new("s6.small.1", 1, 1024),
        new("s6.medium.2", 1, 2048),
        new("s6.medium.4", 1, 4096),
        new("s6.large.2", 2, 4096),
        new("s6.large.4", 2, 8192),
        new("s6.xlarge.2", 4, 8192),
        new("s6.xlarge.4", 4, 16384),
        new("s6.2xlarge.2", 8, 16384),
        new("s6.2xlarge.4", 8, 32768),
    ];

    /// <summary>A flavor by id, or <see langword="null"/>.</summary>
    public static CloudFlavor? Find(string? id) => All.FirstOrDefault(f => string.Equals(f.Id, id, StringComparison.Ordinal));
}
