using Sms.Replication.Tests.Blocks;
using Sms.Transport;

namespace Sms.Replication.Tests.Transport;

public sealed class PairingFileTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ReceiverPairing _pairing = new("10.0.0.5:7443", new string('a', 64), PairingFile.NewToken());

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task WriteAsync_ThenReadAsync_ReturnsSamePairing()
    {
        // Given
        var path = _directory.File("nested/pairing.json");

        // When
        await PairingFile.WriteAsync(path, _pairing);
        var read = await PairingFile.ReadAsync(path);

        // Then
        Assert.Equal(_pairing, read);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public async Task WriteAsync_Always_WritesCamelCaseJson()
    {
        // Given
        var path = _directory.File("pairing.json");

        // When
        await PairingFile.WriteAsync(path, _pairing);
        var json = await File.ReadAllTextAsync(path);

        // Then
        Assert.Contains("\"endpoint\": \"10.0.0.5:7443\"", json, StringComparison.Ordinal);
        Assert.Contains("\"fingerprint\"", json, StringComparison.Ordinal);
        Assert.Contains("\"token\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_OnUnix_FileIsReadableByOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // Given
        var path = _directory.File("pairing.json");

        // When
        await PairingFile.WriteAsync(path, _pairing);

        // Then
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task WriteAsync_OverExistingWorldReadableFile_FileIsReadableByOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // Given
        var path = _directory.File("pairing.json");
        await File.WriteAllTextAsync(path, "{}");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        // When
        await PairingFile.WriteAsync(path, _pairing);

        // Then
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(_pairing, await PairingFile.ReadAsync(path));
    }

    [Fact]
    public async Task WriteAsync_StaleWorldReadableTempFile_FileIsReadableByOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // Given
        var path = _directory.File("pairing.json");
        await File.WriteAllTextAsync(path + ".tmp", "partial");
        File.SetUnixFileMode(path + ".tmp", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        // When
        await PairingFile.WriteAsync(path, _pairing);

        // Then
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("{\"endpoint\":\"h:1\",\"fingerprint\":\"ab\"}")]
    [InlineData("{\"endpoint\":\"h:1\",\"fingerprint\":\"\",\"token\":\"t\"}")]
    [InlineData("{\"endpoint\":5,\"fingerprint\":\"ab\",\"token\":\"t\"}")]
    [InlineData("[1,2,3]")]
    public async Task ReadAsync_MalformedFile_ThrowsInvalidState(string content)
    {
        // Given
        var path = _directory.File("pairing.json");
        await File.WriteAllTextAsync(path, content);

        // When
        var ex = await Assert.ThrowsAsync<SmsException>(() => PairingFile.ReadAsync(path));

        // Then
        Assert.Equal(SmsErrorCode.InvalidState, ex.ErrorCode);
    }

    [Fact]
    public async Task ReadAsync_MissingFile_ThrowsInvalidState()
    {
        // Given
        var path = _directory.File("missing.json");

        // When
        var ex = await Assert.ThrowsAsync<SmsException>(() => PairingFile.ReadAsync(path));

        // Then
        Assert.Equal(SmsErrorCode.InvalidState, ex.ErrorCode);
    }

    [Fact]
    public void NewToken_Twice_GivesDistinctUrlSafe256BitTokens()
    {
        // Given / When
        var first = PairingFile.NewToken();
        var second = PairingFile.NewToken();

        // Then
        Assert.NotEqual(first, second);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", first);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", second);
    }

    [Fact]
    public void ToString_Pairing_DoesNotShowTheToken()
    {
        // Given / When
        var text = _pairing.ToString();

        // Then
        Assert.DoesNotContain(_pairing.Token, text, StringComparison.Ordinal);
        Assert.Contains(_pairing.Fingerprint, text, StringComparison.Ordinal);
    }
}
