namespace Sms.Cloud.Huawei.Http;

/// <summary>Escapes ids and values placed in paths and queries.</summary>
internal static class HuaweiPath
{
    public static string E(string value) => Uri.EscapeDataString(value);
}
