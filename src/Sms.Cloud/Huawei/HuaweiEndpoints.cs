namespace Sms.Cloud.Huawei;

/// <summary>Builds Huawei Cloud service endpoints of the form <c>https://{service}.{region}.{domain}</c>.</summary>
public static class HuaweiEndpoints
{
    /// <summary>The public Huawei Cloud domain.</summary>
    public const string DefaultDomain = "myhuaweicloud.com";

    /// <summary>Returns the endpoint of a regional service, for example <c>https://ecs.cn-north-4.myhuaweicloud.com/</c>.</summary>
    /// <param name="service">The service short name, for example <c>ecs</c>, <c>evs</c> or <c>ims</c>.</param>
    /// <param name="region">The region id, for example <c>cn-north-4</c>.</param>
    /// <param name="domain">The cloud domain; other clouds (for example <c>g42cloud.com</c>) use their own.</param>
    /// <returns>The HTTPS endpoint.</returns>
    /// <exception cref="ArgumentException">A part is empty or holds a character other than letters, digits, <c>-</c> (and <c>.</c> in the domain).</exception>
    public static Uri ForService(string service, string region, string domain = DefaultDomain)
    {
        Validate(service, allowDot: false, nameof(service));
        Validate(region, allowDot: false, nameof(region));
        Validate(domain, allowDot: true, nameof(domain));
        return new Uri($"https://{service}.{region}.{domain}/", UriKind.Absolute);
    }

    private static void Validate(string value, bool allowDot, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, paramName);
        foreach (char c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || (allowDot && c == '.')))
            {
                throw new ArgumentException($"'{value}' is not a valid host label.", paramName);
            }
        }
    }
}
