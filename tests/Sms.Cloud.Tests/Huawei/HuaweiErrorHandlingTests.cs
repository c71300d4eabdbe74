using System.Text;
using Sms.Cloud.Huawei.Http;
using Sms.Cloud.Tests.Huawei.Fixtures;

namespace Sms.Cloud.Tests.Huawei;

public sealed class HuaweiErrorHandlingTests
{
    [Theory]
    [InlineData(EcsFixtures.ServerNotFound, "Ecs.0114", "Instance[b3a8d6b2-0000-0000-0000-000000000000] could not be found.")]
    [InlineData(GatewayFixtures.SignatureRejected, "APIGW.0301", "Incorrect IAM authentication information: verify aksk signature fail")]
    [InlineData("""{ "code": "VPC.0106", "message": "The VPC still has subnets." }""", "VPC.0106", "The VPC still has subnets.")]
    [InlineData(EvsFixtures.SnapshotNotFound, "itemNotFound", "Snapshot b836dc3d-0000 could not be found.")]
    [InlineData("""{ "error": { "code": 400, "message": "bad" } }""", "400", "bad")]
    [InlineData("""{ "error_code": "IMG.0027" }""", "IMG.0027", null)]
    [InlineData("<html>502 Bad Gateway</html>", null, null)]
    [InlineData("", null, null)]
    [InlineData("[1, 2]", null, null)]
    public void Parse_EachErrorShape_FindsCodeAndMessage(string body, string? code, string? message)
    {
        // When
        HuaweiErrorBody error = HuaweiErrorBody.Parse(Encoding.UTF8.GetBytes(body));

        // Then
        Assert.Equal(code, error.Code);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData(400, "EVS.2024", "Quota exceeded for resources: ['volumes']", null, "SDK.0015")]
    [InlineData(403, "Ecs.0605", "Insufficient quota", "SMS.0601", "SDK.0015")]
    [InlineData(413, null, "Over limit", null, "SDK.0015")]
    [InlineData(0, "Ecs.0013", "AZ sold out", "SMS.0601", "SMS.0601")]
    [InlineData(0, "EVS.5400", "sold out", "SMS.1105", "SMS.1105")]
    [InlineData(404, "Ecs.0114", "not found", null, "SDK.0017")]
    [InlineData(409, "Ecs.0104", "locked", null, "SDK.0016")]
    [InlineData(500, null, null, null, "SDK.0014")]
    public void Classify_StatusCodeAndMessage_PicksTheSdkCode(int status, string? code, string? message, string? failureCode, string expected)
    {
        // When
        SmsErrorCode actual = HuaweiErrors.Classify(status, code, message, failureCode is null ? null : new SmsErrorCode(failureCode));

        // Then
        Assert.Equal(expected, actual.Value);
    }

    [Fact]
    public void RequestFailed_ErrorBody_PutsStatusCodeMessageAndRequestIdInTheException()
    {
        // When
        CloudRequestFailedException error = HuaweiErrors.RequestFailed(503, new HuaweiErrorBody("Common.0503", "Busy"), "abc123", "evs", HttpMethod.Get, "/v2/p/cloudvolumes/detail", null);

        // Then
        Assert.Equal("Huawei Cloud EVS GET /v2/p/cloudvolumes/detail failed with HTTP 503 Common.0503: Busy (request id abc123).", error.Message);
        Assert.Equal("abc123", error.RequestId);
        Assert.True(error.IsTransient);
    }
}
