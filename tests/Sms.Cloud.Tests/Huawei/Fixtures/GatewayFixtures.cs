namespace Sms.Cloud.Tests.Huawei.Fixtures;

/// <summary>API gateway error bodies (<c>{"error_code", "error_msg", "request_id"}</c>).</summary>
internal static class GatewayFixtures
{
    public const string SignatureRejected = """
        { "error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information: verify aksk signature fail", "request_id": "6e6f4b8a2d2b4c6f8a0e1d2c3b4a5f60" }
        """;

    public const string Throttled = """
        { "error_code": "APIGW.0308", "error_msg": "The throttling threshold has been reached: policy user over ratelimit,limit:5,time:1 minute", "request_id": "6e6f4b8a2d2b4c6f8a0e1d2c3b4a5f61" }
        """;

    public const string ServiceUnavailable = """
        { "error": { "code": "Common.0503", "message": "Service temporarily unavailable." } }
        """;
}
