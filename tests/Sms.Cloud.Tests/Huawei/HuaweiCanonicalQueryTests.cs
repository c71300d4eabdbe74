using FsCheck;
using FsCheck.Xunit;
using Sms.Cloud.Huawei.Signing;

namespace Sms.Cloud.Tests.Huawei;

public sealed class HuaweiCanonicalQueryTests
{
    private static string FromUri(string uri) => HuaweiCanonicalQuery.Build(new Uri(uri).Query);

    [Fact]
    public void Build_OfficialGoVector_SortsRepeatsAndEncodes()
    {
        // signer_test.go TestSigner_canonicalQueryString, parameters given out of order.
        string canonical = FromUri(
            "https://example.huaweicloud.com/?test=%E4%B8%80%20(%26%3D%3F!%23%25.*)&multi=3&limit=1"
            + "&path=/tmp/123&multi=1&enable=true&multi=2");

        Assert.Equal(
            "enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123"
            + "&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29",
            canonical);
    }

    [Fact]
    public void Build_UnsortedKeys_SortsOrdinallyUppercaseFirst()
    {
        Assert.Equal("B=2&a=1&b=3&c=4", FromUri("https://h/?c=4&b=3&a=1&B=2"));
    }

    [Theory]
    [InlineData("https://h/?q=a b", "q=a%20b")]
    [InlineData("https://h/?q=a%20b", "q=a%20b")]
    [InlineData("https://h/?q=a+b", "q=a%20b")]
    [InlineData("https://h/?q=a%2Bb", "q=a%2Bb")]
    [InlineData("https://h/?a b=1", "a%20b=1")]
    public void Build_Space_EncodedAsPercent20NeverPlus(string uri, string expected)
    {
        Assert.Equal(expected, FromUri(uri));
    }

    [Fact]
    public void Build_ReservedCharacters_AreAllPercentEncodedWithUppercaseHex()
    {
        string canonical = FromUri("https://h/?q=" + Uri.EscapeDataString(":/?#[]@!$&'()*+,;=%"));

        Assert.Equal("q=%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%25", canonical);
    }

    [Fact]
    public void Build_UnreservedCharacters_AreLeftAsIs()
    {
        Assert.Equal("q=AZaz09-_.~", FromUri("https://h/?q=AZaz09-_.~"));
    }

    [Fact]
    public void Build_LowercaseEscapesInInput_AreReEncodedUppercase()
    {
        Assert.Equal("q=%E4%B8%80%2F", FromUri("https://h/?q=%e4%b8%80%2f"));
    }

    [Fact]
    public void Build_EncodedUnreservedInInput_IsDecoded()
    {
        Assert.Equal("q=abc", FromUri("https://h/?q=%61%62%63"));
    }

    [Theory]
    [InlineData("https://h/?a=&b", "a=&b=")]
    [InlineData("https://h/?flag", "flag=")]
    [InlineData("https://h/?a==x", "a=%3Dx")]
    [InlineData("https://h/?&&a=1&", "a=1")]
    [InlineData("https://h/", "")]
    [InlineData("https://h/?", "")]
    public void Build_EmptyValuesAndEmptyPairs_FollowGoRules(string uri, string expected)
    {
        Assert.Equal(expected, FromUri(uri));
    }

    [Fact]
    public void Build_RepeatedKeys_KeepsEveryPairWithValuesSorted()
    {
        Assert.Equal("k=1&k=1&k=2&k=3&z=0", FromUri("https://h/?z=0&k=3&k=1&k=2&k=1"));
    }

    [Fact]
    public void Build_RepeatedKeyWithEmptyValue_EmptyValueSortsFirst()
    {
        Assert.Equal("k=&k=a", FromUri("https://h/?k=a&k"));
    }

    [Fact]
    public void Build_NonAsciiKeys_SortByUtf8BytesLikeGo()
    {
        // UTF-16 order would put U+1F600 (surrogates D83D..) before U+FF61; UTF-8 order (Go) puts it after.
        var parameters = new[] { KeyValuePair.Create("\U0001F600", "1"), KeyValuePair.Create("\uFF61", "2") };

        Assert.Equal("%EF%BD%A1=2&%F0%9F%98%80=1", HuaweiCanonicalQuery.Build(parameters));
    }

    [Fact]
    public void Build_DecodedParameters_MatchParsedUriForm()
    {
        var parameters = new[] { KeyValuePair.Create("name", "a b/c"), KeyValuePair.Create("limit", "10") };

        Assert.Equal(FromUri("https://h/?name=a%20b%2Fc&limit=10"), HuaweiCanonicalQuery.Build(parameters));
    }

    [Property(MaxTest = 300)]
    public bool Build_ParametersInAnyOrder_ProducesSameCanonicalQuery(
        NonNull<string>[] keys, NonNull<string>[] values, int seed)
    {
        // Reuse a few keys so repeated keys are exercised too.
        var pairs = values
            .Select((v, i) => KeyValuePair.Create(keys.Length == 0 ? "k" : keys[i % keys.Length].Get, v.Get))
            .ToList();
        var random = new Random(seed);
        var shuffled = pairs.OrderBy(_ => random.Next()).ToList();
        var shuffledAgain = pairs.OrderBy(_ => random.Next()).ToList();
        var reversed = Enumerable.Reverse(pairs).ToList();

        string expected = HuaweiCanonicalQuery.Build(pairs);
        return expected == HuaweiCanonicalQuery.Build(shuffled)
            && expected == HuaweiCanonicalQuery.Build(shuffledAgain)
            && expected == HuaweiCanonicalQuery.Build(reversed);
    }

    [Property(MaxTest = 200)]
    public bool Build_EscapedQueryInAnyOrder_MatchesDecodedParameters(NonNull<string>[] keys, NonNull<string>[] values, int seed)
    {
        var pairs = keys.Zip(values, (k, v) => KeyValuePair.Create(k.Get, v.Get)).ToList();
        var random = new Random(seed);
        string query = string.Join(
            '&',
            pairs.OrderBy(_ => random.Next()).Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));

        return HuaweiCanonicalQuery.Build("?" + query) == HuaweiCanonicalQuery.Build(pairs);
    }
}
