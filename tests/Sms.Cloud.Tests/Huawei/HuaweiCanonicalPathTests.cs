using Sms.Cloud.Huawei.Signing;

namespace Sms.Cloud.Tests.Huawei;

public sealed class HuaweiCanonicalPathTests
{
    [Theory]
    [InlineData("https://ecs.cn-north-4.myhuaweicloud.com/v1/abc/cloudservers", "/v1/abc/cloudservers/")]
    [InlineData("https://h/path", "/path/")]
    [InlineData("https://h/path/", "/path/")]
    [InlineData("https://h/", "/")]
    [InlineData("https://h", "/")]
    [InlineData("https://h/a//b", "/a//b/")]
    public void Build_AnyPath_AlwaysEndsWithOneTrailingSlash(string uri, string expected)
    {
        Assert.Equal(expected, HuaweiCanonicalPath.Build(new Uri(uri).AbsolutePath));
    }

    [Theory]
    [InlineData("https://h/a b/c", "/a%20b/c/")]
    [InlineData("https://h/a(b)!*/c", "/a%28b%29%21%2A/c/")]
    [InlineData("https://h/v1/%e4%b8%80", "/v1/%E4%B8%80/")]
    [InlineData("https://h/v1/a%2Fb", "/v1/a%2Fb/")]
    [InlineData("https://h/v1/a+b", "/v1/a%2Bb/")]
    [InlineData("https://h/v1/%7Euser", "/v1/~user/")]
    public void Build_Segments_AreDecodedThenEncodedWithUnreservedSet(string uri, string expected)
    {
        Assert.Equal(expected, HuaweiCanonicalPath.Build(new Uri(uri).AbsolutePath));
    }
}
