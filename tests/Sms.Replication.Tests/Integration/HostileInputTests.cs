using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Sms.Blocks;
using Sms.Protocol;

namespace Sms.Replication.Tests.Integration;

public sealed class HostileInputTests
{
    [Fact]
    public async Task ReplicateAsync_WrongToken_IsRefusedAndNothingIsWritten()
    {
        // Given
        await using var h = await ReplicationHarness.StartAsync();
        Images.CreateSparse(h.SourcePath, 4L << 20, seed: 1);
        var wrong = h.Pairing with { Token = "not-the-token" };

        // When
        var error = await Assert.ThrowsAsync<ReplicationProtocolException>(() => h.ReplicateAsync(pairing: wrong));

        // Then
        Assert.Equal(SmsErrorCode.InvalidToken, error.ErrorCode);
        Assert.True(error.FromPeer);
        Assert.Contains("token", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(File.Exists(h.VolumePath()));
    }

    [Fact]
    public async Task ReplicateAsync_WrongFingerprint_IsRefusedBeforeAnyDataAndSaysWhich()
    {
        // Given
        await using var h = await ReplicationHarness.StartAsync();
        Images.CreateSparse(h.SourcePath, 4L << 20, seed: 2);
        var pinned = new string('a', 64);

        // When
        var error = await Assert.ThrowsAsync<SmsException>(() => h.ReplicateAsync(pairing: h.Pairing with { Fingerprint = pinned }));

        // Then
        Assert.Equal(SmsErrorCode.TlsAuthenticationFailed, error.ErrorCode);
        Assert.Contains(h.Pairing.Fingerprint, error.Message, StringComparison.Ordinal);
        Assert.Contains(pinned, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(h.VolumePath()));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("/etc/passwd")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("")]
    public async Task Hello_VolumeNameOutsideTheDirectory_IsRefused(string name)
    {
        // Given
        await using var h = await ReplicationHarness.StartAsync();
        await using var raw = await RawSource.ConnectAsync(h.Pairing);

        // When
        await raw.Connection.SendAsync(FrameType.Hello, 0, 0, RawSource.Hello(h.Pairing.Token, name, 1 << 20));
        var error = await raw.ReadErrorAsync();

        // Then
        Assert.Contains(SmsErrorCode.InvalidName.Value, error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(h.Volumes, "*", SearchOption.TopDirectoryOnly));
        Assert.False(File.Exists(h.Directory.Combine("escape.img")));
    }

    [Fact]
    public async Task Block_BeyondTheVolumeEnd_IsRefusedAndNotWritten()
    {
        // Given
        await using var h = await ReplicationHarness.StartAsync();
        await using var raw = await RawSource.ConnectAsync(h.Pairing);
        await raw.SendHelloAsync(h.Pairing, "disk0", 2L << 20);
        var block = new byte[1 << 20];
        block.AsSpan().Fill(0x42);

        // When
        raw.Connection.Write(FrameType.Block, FrameFlags.None, 2L << 20, block.Length, BlockHash.Compute(block), block);
        await raw.Connection.FlushAsync();
        var error = await raw.ReadErrorAsync();

        // Then
        Assert.Contains(SmsErrorCode.WriteBeyondEnd.Value, error, StringComparison.Ordinal);
        Assert.Equal(2L << 20, new FileInfo(h.VolumePath()).Length);
    }

    [Fact]
    public async Task Block_WithWrongHash_IsRefusedAndNotWritten()
    {
        // Given
        await using var h = await ReplicationHarness.StartAsync();
        await using var raw = await RawSource.ConnectAsync(h.Pairing);
        await raw.SendHelloAsync(h.Pairing, "disk0", 2L << 20);
        var block = new byte[1 << 20];
        block.AsSpan().Fill(0x42);

        // When
        raw.Connection.Write(FrameType.Block, FrameFlags.None, 0, block.Length, BlockHash.Compute(block) ^ 1, block);
        await raw.Connection.FlushAsync();
        var error = await raw.ReadErrorAsync();

        // Then
        Assert.Contains(SmsErrorCode.HashMismatch.Value, error, StringComparison.Ordinal);
        Assert.True(BlockHash.IsZero(File.ReadAllBytes(h.VolumePath())));
    }

    [Fact]
    public async Task Frame_LargerThanTheLimit_IsRefusedBeforeItsPayloadArrives()
    {
        // Given
        await using var h = await ReplicationHarness.StartAsync();
        await using var raw = await RawSource.ConnectAsync(h.Pairing);
        await raw.SendHelloAsync(h.Pairing, "disk0", 2L << 20);
        var header = new byte[ProtocolConstants.HeaderSize];
        FrameWriter.WriteHeader(header, new FrameHeader(FrameType.Block, FrameFlags.None, int.MaxValue, 0, 1 << 20, 1));

        // When: only the header is sent; a receiver that waited for 2 GiB would never answer.
        raw.Connection.Output.Write(header);
        await raw.Connection.FlushAsync();
        var error = await raw.ReadErrorAsync().WaitAsync(TimeSpan.FromSeconds(10));

        // Then
        Assert.Contains(SmsErrorCode.FrameTooLarge.Value, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hello_Malformed_IsAProtocolError()
    {
        // Given
        await using var h = await ReplicationHarness.StartAsync();
        await using var raw = await RawSource.ConnectAsync(h.Pairing);

        // When
        await raw.Connection.SendAsync(FrameType.Hello, 0, 0, Encoding.UTF8.GetBytes("{ not json"));
        var error = await raw.ReadErrorAsync();

        // Then
        Assert.Contains(SmsErrorCode.ProtocolViolation.Value, error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(h.Volumes));
    }

    [Fact]
    public async Task DataFrame_BeforeHello_IsAProtocolErrorAndNothingIsWritten()
    {
        // Given
        await using var h = await ReplicationHarness.StartAsync();
        await using var raw = await RawSource.ConnectAsync(h.Pairing);
        var block = new byte[4096];

        // When
        raw.Connection.Write(FrameType.Block, FrameFlags.None, 0, block.Length, 0, block);
        await raw.Connection.FlushAsync();
        var error = await raw.ReadErrorAsync();

        // Then
        Assert.Contains("Expected Hello", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(h.Volumes));
    }

    [Fact]
    public async Task Preamble_Garbage_IsRefusedAndTheConnectionClosed()
    {
        // Given
        await using var h = await ReplicationHarness.StartAsync();
        await using var raw = await RawSource.ConnectAsync(h.Pairing, sendPreamble: false);
        var garbage = new byte[64];
        BinaryPrimitives.WriteUInt32BigEndian(garbage, 0xDEADBEEF);

        // When
        raw.Connection.Output.Write(garbage);
        await raw.Connection.FlushAsync();

        // Then: the receiver reads our garbage as a wrong magic, says so and hangs up.
        await raw.Connection.ReadPreambleAsync(); // its own preamble
        var error = await raw.ReadErrorAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("Not a replication peer", error, StringComparison.Ordinal);
        await Assert.ThrowsAsync<IOException>(async () => await raw.Connection.ReadFrameAsync(ProtocolConstants.MaxControlPayload));
        Assert.Empty(Directory.GetFiles(h.Volumes));
    }

    [Fact]
    public async Task Hello_VolumeInUse_IsRefusedAsBusyAfterTheWait()
    {
        // Given
        await using var h = await ReplicationHarness.StartAsync(volumeBusyWait: TimeSpan.FromMilliseconds(300));
        await using var first = await RawSource.ConnectAsync(h.Pairing);
        await first.SendHelloAsync(h.Pairing, "disk0", 1 << 20);
        await using var second = await RawSource.ConnectAsync(h.Pairing);

        // When
        await second.Connection.SendAsync(FrameType.Hello, 0, 0, RawSource.Hello(h.Pairing.Token, "disk0", 1 << 20));
        var error = await second.ReadErrorAsync();

        // Then
        Assert.Contains(SmsErrorCode.VolumeBusy.Value, error, StringComparison.Ordinal);
    }
}
