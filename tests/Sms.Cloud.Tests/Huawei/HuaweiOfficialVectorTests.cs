using System.Text;
using Sms.Cloud.Huawei.Signing;

namespace Sms.Cloud.Tests.Huawei;

/// <summary>The two official vectors of huaweicloud-sdk-go-v3 core/auth/signer/signer_test.go (spec C1).</summary>
public sealed class HuaweiOfficialVectorTests
{
    private static readonly HuaweiCredentials Credentials = new("AccessKey", "SecretKey");
    private static readonly DateTimeOffset VectorTime = new(2006, 1, 2, 15, 4, 5, TimeSpan.Zero);
    private static readonly byte[] Vector2Body = Encoding.UTF8.GetBytes("{\"Name\":\"test\",\"Id\":1}\n");

    [Fact]
    public void Sign_OfficialVector1_ReproducesEveryIntermediateByteForByte()
    {
        var result = HuaweiRequestSigner.Sign(
            "GET",
            new Uri("https://example.huaweicloud.com/path?limit=1"),
            [new("X-Sdk-Date", "20060102T150405Z"), new("TEST_UNDERSCORE", "TEST_VALUE")],
            [],
            Credentials,
            VectorTime);

        Assert.Equal(
            "GET\n/path/\nlimit=1\nx-sdk-date:20060102T150405Z\n\nx-sdk-date\n"
            + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            result.CanonicalRequest);
        Assert.Equal(
            "SDK-HMAC-SHA256\n20060102T150405Z\n85c3b7730f308aee452b16138a42a914397e43a8f0d732dfa521c0ef2afa98a4",
            result.StringToSign);
        Assert.Equal("5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624", result.Signature);
        Assert.Equal("x-sdk-date", result.SignedHeaders);
        Assert.Equal("20060102T150405Z", result.Date);
        Assert.Equal(
            "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, "
            + "Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624",
            result.Authorization);
    }

    [Fact]
    public void Sign_OfficialVector2_ReproducesEveryIntermediateByteForByte()
    {
        var result = HuaweiRequestSigner.Sign(
            "POST",
            new Uri("https://example.huaweicloud.com/path?key=value"),
            [
                new("X-Sdk-Date", "20060102T150405Z"),
                new("TEST_UNDERSCORE", "TEST_VALUE"),
                new("Content-Type", "application/json"),
            ],
            Vector2Body,
            Credentials,
            VectorTime);

        Assert.Equal(
            "POST\n/path/\nkey=value\nx-sdk-date:20060102T150405Z\n\nx-sdk-date\n"
            + "a29d7b4c5efd1a22011d69fd7b7aee76fe51e4083c609244228de258afd61289",
            result.CanonicalRequest);
        Assert.Equal(
            "SDK-HMAC-SHA256\n20060102T150405Z\n13f75ff5f5216199f986c7e7f2f77834d5e160ad9e46f37319816dc72ba7eeab",
            result.StringToSign);
        Assert.Equal("cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59", result.Signature);
        Assert.Equal(
            "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, "
            + "Signature=cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59",
            result.Authorization);
    }

    [Fact]
    public void Sign_Vector2BodyWithoutTrailingNewline_DoesNotMatchOfficialSignature()
    {
        byte[] bodyWithoutNewline = Encoding.UTF8.GetBytes("{\"Name\":\"test\",\"Id\":1}");

        var result = HuaweiRequestSigner.Sign(
            "POST",
            new Uri("https://example.huaweicloud.com/path?key=value"),
            [new("Content-Type", "application/json")],
            bodyWithoutNewline,
            Credentials,
            VectorTime);

        Assert.NotEqual("cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59", result.Signature);
        Assert.Equal("83599e5230b5b31fb58837c5760b4c2d407542df1f9493834ead538696e17a35", result.Signature);
    }

    [Fact]
    public void Sign_DateHeaderAbsent_UsesTimestampAndStillMatchesVector1()
    {
        var result = HuaweiRequestSigner.Sign(
            "GET", new Uri("https://example.huaweicloud.com/path?limit=1"), [], [], Credentials, VectorTime);

        Assert.Equal("5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624", result.Signature);
    }

    [Fact]
    public void Sign_StaleDateHeader_IsReplacedByTimestamp()
    {
        var result = HuaweiRequestSigner.Sign(
            "GET",
            new Uri("https://example.huaweicloud.com/path?limit=1"),
            [new("x-sdk-date", "19990101T000000Z")],
            [],
            Credentials,
            VectorTime);

        Assert.Equal("5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624", result.Signature);
    }

    [Fact]
    public void FormatDate_NonUtcOffset_FormatsInUtc()
    {
        var beijing = new DateTimeOffset(2006, 1, 2, 23, 4, 5, TimeSpan.FromHours(8));

        Assert.Equal("20060102T150405Z", HuaweiRequestSigner.FormatDate(beijing));
    }
}
