namespace Sms.Cloud.Huawei.Http;

/// <summary>The short names of the Huawei Cloud services the provider calls (the first label of their endpoints).</summary>
internal static class HuaweiServices
{
    public const string Ecs = "ecs";
    public const string Evs = "evs";
    public const string Vpc = "vpc";
    public const string Ims = "ims";

    public static IReadOnlyList<string> All { get; } = [Ecs, Evs, Vpc, Ims];
}
