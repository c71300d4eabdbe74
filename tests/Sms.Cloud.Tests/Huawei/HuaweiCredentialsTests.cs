using Sms.Cloud.Huawei.Signing;

namespace Sms.Cloud.Tests.Huawei;

public sealed class HuaweiCredentialsTests
{
    private const string AccessKey = "HPUAEXAMPLEACCESSKEY";
    private const string SecretKey = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY";
    private const string Token = "gQpjbi1ub3J0aC00EXAMPLETOKEN";

    [Fact]
    public void ToString_PermanentCredentials_DoesNotContainSecretOrAccessKey()
    {
        string text = new HuaweiCredentials(AccessKey, SecretKey).ToString();

        Assert.DoesNotContain(SecretKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(AccessKey, text, StringComparison.Ordinal);
        Assert.Contains("HasSecurityToken = False", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_TemporaryCredentials_DoesNotContainTokenOrSecret()
    {
        string text = new HuaweiCredentials(AccessKey, SecretKey, Token).ToString();

        Assert.DoesNotContain(SecretKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(AccessKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
        Assert.Contains("HasSecurityToken = True", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_InterpolatedInsideAnotherRecord_StaysRedacted()
    {
        string text = new Holder(new HuaweiCredentials(AccessKey, SecretKey)).ToString();

        Assert.DoesNotContain(SecretKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(AccessKey, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "sk")]
    [InlineData("  ", "sk")]
    [InlineData("ak", "")]
    [InlineData("ak", " ")]
    public void Constructor_EmptyKey_Throws(string accessKey, string secretKey)
    {
        Assert.Throws<ArgumentException>(() => new HuaweiCredentials(accessKey, secretKey));
    }

    [Fact]
    public void Constructor_NullKey_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new HuaweiCredentials(null!, "sk"));
        Assert.Throws<ArgumentNullException>(() => new HuaweiCredentials("ak", null!));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Constructor_EmptySecurityToken_Throws(string token)
    {
        Assert.Throws<ArgumentException>(() => new HuaweiCredentials("ak", "sk", token));
    }

    [Fact]
    public void Constructor_ValidValues_ExposesThem()
    {
        var credentials = new HuaweiCredentials(AccessKey, SecretKey, Token);

        Assert.Equal(AccessKey, credentials.AccessKey);
        Assert.Equal(SecretKey, credentials.SecretKey);
        Assert.Equal(Token, credentials.SecurityToken);
    }

    private sealed record Holder(HuaweiCredentials Credentials);
}
