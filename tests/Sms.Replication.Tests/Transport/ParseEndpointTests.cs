using Sms.Transport;

namespace Sms.Replication.Tests.Transport;

public sealed class ParseEndpointTests
{
    [Theory]
    [InlineData("10.0.0.5:7443", "10.0.0.5", 7443)]
    [InlineData("127.0.0.1:1", "127.0.0.1", 1)]
    [InlineData("[::1]:5", "::1", 5)]
    [InlineData("[fe80::1%2]:65535", "fe80::1%2", 65535)]
    [InlineData("receiver.example:443", "receiver.example", 443)]
    [InlineData("localhost:8080", "localhost", 8080)]
    public void ParseEndpoint_HostAndPort_SplitsThem(string endpoint, string host, int port)
    {
        // Given / When
        var parsed = ReplicationConnector.ParseEndpoint(endpoint);

        // Then
        Assert.Equal((host, port), parsed);
    }

    [Theory]
    [InlineData("host:0", "host")]
    [InlineData("0.0.0.0:0", "0.0.0.0")]
    [InlineData("[::]:0", "::")]
    public void ParseEndpointAllowingPortZero_PortZero_IsAccepted(string endpoint, string host)
    {
        // Given / When
        var parsed = ReplicationConnector.ParseEndpointAllowingPortZero(endpoint);

        // Then
        Assert.Equal((host, 0), parsed);
    }

    [Theory]
    [InlineData("host:0")]
    [InlineData("[::1]:0")]
    public void ParseEndpoint_PortZero_ThrowsInvalidState(string endpoint)
    {
        // Given / When
        var ex = Assert.Throws<SmsException>(() => ReplicationConnector.ParseEndpoint(endpoint));

        // Then
        Assert.Equal(SmsErrorCode.InvalidState, ex.ErrorCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("host")]
    [InlineData("host:")]
    [InlineData(":5")]
    [InlineData("host:65536")]
    [InlineData("host:-1")]
    [InlineData("host:+5")]
    [InlineData("host:5x")]
    [InlineData("host: 5")]
    [InlineData("a:b:5")]
    [InlineData("[::1]")]
    [InlineData("[]:5")]
    [InlineData("[::g]:5")]
    [InlineData("garbage")]
    public void ParseEndpointAllowingPortZero_Garbage_ThrowsInvalidState(string endpoint)
    {
        // Given / When
        var ex = Assert.Throws<SmsException>(() => ReplicationConnector.ParseEndpointAllowingPortZero(endpoint));
        var strict = Assert.Throws<SmsException>(() => ReplicationConnector.ParseEndpoint(endpoint));

        // Then
        Assert.Equal(SmsErrorCode.InvalidState, ex.ErrorCode);
        Assert.Equal(SmsErrorCode.InvalidState, strict.ErrorCode);
    }
}
