namespace Sms.Cloud.Huawei.Http;

/// <summary>A successful answer: its body and the provider's request id.</summary>
/// <typeparam name="T">The body.</typeparam>
/// <param name="Value">The body.</param>
/// <param name="RequestId">The <c>X-Request-Id</c> response header.</param>
internal readonly record struct HuaweiResponse<T>(T Value, string? RequestId);
