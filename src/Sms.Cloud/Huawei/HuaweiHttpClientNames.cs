namespace Sms.Cloud.Huawei;

/// <summary>
/// The names of the <see cref="HttpClient"/>s that <c>AddHuaweiCloud</c> registers, one per service, so a host can add
/// to them (a proxy, a primary handler) with <c>services.AddHttpClient(HuaweiHttpClientNames.Ecs)…</c>.
/// </summary>
public static class HuaweiHttpClientNames
{
    /// <summary>The prefix of every name.</summary>
    public const string Prefix = "Sms.HuaweiCloud.";

    /// <summary>ECS (servers, flavors, server jobs).</summary>
    public const string Ecs = Prefix + "ecs";

    /// <summary>EVS (volumes, snapshots, volume jobs).</summary>
    public const string Evs = Prefix + "evs";

    /// <summary>VPC (VPCs, subnets, security groups).</summary>
    public const string Vpc = Prefix + "vpc";

    /// <summary>IMS (images, image jobs).</summary>
    public const string Ims = Prefix + "ims";

    /// <summary>Returns the client name of a service.</summary>
    /// <param name="service">The service short name, for example <c>ecs</c>.</param>
    /// <returns>The name.</returns>
    public static string ForService(string service) => Prefix + service;
}
