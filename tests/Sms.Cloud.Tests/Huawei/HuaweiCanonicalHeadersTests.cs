using Sms.Cloud.Huawei.Signing;

namespace Sms.Cloud.Tests.Huawei;

public sealed class HuaweiCanonicalHeadersTests
{
    [Fact]
    public void Build_MixedCaseUntrimmedHeaders_LowercasesTrimsAndSorts()
    {
        (string block, string signed) = HuaweiCanonicalHeaders.Build(
        [
            new("X-Sdk-Date", " 20060102T150405Z "),
            new("Host", "\texample.huaweicloud.com"),
            new("X-Project-Id", "abc "),
        ]);

        Assert.Equal("host:example.huaweicloud.com\nx-project-id:abc\nx-sdk-date:20060102T150405Z\n", block);
        Assert.Equal("host;x-project-id;x-sdk-date", signed);
    }

    [Fact]
    public void Build_ContentTypeAuthorizationAndUnderscoreNames_AreNotSigned()
    {
        (string block, string signed) = HuaweiCanonicalHeaders.Build(
        [
            new("Content-Type", "application/json"),
            new("Authorization", "stale"),
            new("TEST_UNDERSCORE", "TEST_VALUE"),
            new("X-Sdk-Date", "20060102T150405Z"),
        ]);

        Assert.Equal("x-sdk-date:20060102T150405Z\n", block);
        Assert.Equal("x-sdk-date", signed);
    }

    [Fact]
    public void Build_RepeatedHeader_OneLinePerValueSortedAndNameListedOnce()
    {
        (string block, string signed) = HuaweiCanonicalHeaders.Build(
        [
            new("X-Multi", "b"),
            new("x-multi", "a"),
            new("X-Sdk-Date", "20060102T150405Z"),
        ]);

        Assert.Equal("x-multi:a\nx-multi:b\nx-sdk-date:20060102T150405Z\n", block);
        Assert.Equal("x-multi;x-sdk-date", signed);
    }
}
