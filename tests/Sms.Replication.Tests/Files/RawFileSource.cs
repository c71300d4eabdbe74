using System.Buffers.Binary;
using System.Text;
using Sms.Files;
using Sms.Files.Manifest;
using Sms.Files.Native;
using Sms.Files.Wire;
using Sms.Protocol;
using Sms.Replication.Tests.Integration;

namespace Sms.Replication.Tests.Files;

/// <summary>A hand-driven file-level source: the real handshake, then whatever frames a hostile test writes.</summary>
public sealed class RawFileSource : IAsyncDisposable
{
    private RawFileSource(RawSource raw)
    {
        Raw = raw;
    }

    public RawSource Raw { get; }

    public FrameConnection Connection => Raw.Connection;

    public static async Task<RawFileSource> ConnectAsync(ReceiverPairing pairing, string tree = "t", bool expectAck = true, string? continueTree = null)
    {
        var raw = await RawSource.ConnectAsync(pairing);
        var source = new RawFileSource(raw);
        await raw.Connection.SendAsync(FrameType.Hello, 0, 0, Hello(pairing.Token, tree, continueTree));
        if (expectAck)
        {
            var (header, payload) = await raw.Connection.ReadFrameAsync(ProtocolConstants.MaxControlPayload);
            Assert.Equal(FrameType.HelloAck, header.Type);
            Assert.Contains("\"reset\":" + (continueTree is null ? "true" : "false"), Encoding.UTF8.GetString(System.Buffers.BuffersExtensions.ToArray(payload)), StringComparison.Ordinal);
        }

        return source;
    }

    /// <summary>A files Hello; <paramref name="continueTree"/> (the receiver's state JSON of the tree) asks for an incremental session.</summary>
    public static byte[] Hello(string token, string tree, string? continueTree = null)
    {
        var incremental = string.Empty;
        if (continueTree is not null)
        {
            using var state = System.Text.Json.JsonDocument.Parse(continueTree);
            incremental = $",\"expectedVolumeId\":\"{state.RootElement.GetProperty("treeId").GetString()}\",\"expectedGeneration\":{state.RootElement.GetProperty("generation").GetInt64()}";
        }

        return Encoding.UTF8.GetBytes($"{{\"token\":\"{token}\",\"volume\":\"{tree}\",\"sourceLength\":0,\"blockSize\":1048576,\"reset\":{(continueTree is null ? "true" : "false")},\"kind\":\"files\",\"tree\":\"{tree}\"{incremental}}}");
    }

    /// <summary>Sends one frame of records and flushes.</summary>
    public async Task SendAsync(FrameType type, params byte[][] records)
    {
        var payload = records.SelectMany(static r => r).ToArray();
        Connection.Write(type, FrameFlags.None, 0, payload.Length, UInt128.Zero, payload);
        await Connection.FlushAsync();
    }

    /// <summary>The receiver's Error frame as "CODE: message".</summary>
    public async Task<string> ReadErrorAsync()
    {
        var json = await Raw.ReadErrorAsync().WaitAsync(TimeSpan.FromSeconds(20));
        using var error = System.Text.Json.JsonDocument.Parse(json);
        return $"{error.RootElement.GetProperty("code").GetString()}: {error.RootElement.GetProperty("message").GetString()}";
    }

    public async ValueTask DisposeAsync() => await Raw.DisposeAsync();

    /// <summary>A File record for raw path bytes with the given content (its hash right unless told otherwise).</summary>
    public static byte[] FileRecord(byte[] path, byte[] content, bool wrongHash = false)
    {
        var buffer = Begin(RecordOp.File, path, 64 + content.Length);
        WriteMeta(buffer, FileKind.Regular);
        buffer.WriteInt64(content.Length);
        buffer.WriteUInt128(ContentHash.OfSmall(content) ^ (wrongHash ? UInt128.One : UInt128.Zero));
        buffer.WriteBytes(content);
        return buffer.Written.ToArray();
    }

    internal static byte[] PathRecord(RecordOp op, byte[] path)
        => Begin(op, path, 0).Written.ToArray();

    public static byte[] SymlinkRecord(byte[] path, string target)
    {
        var buffer = Begin(RecordOp.Symlink, path, 64 + target.Length);
        WriteMeta(buffer, FileKind.Symlink);
        buffer.WriteString(target);
        return buffer.Written.ToArray();
    }

    public static byte[] LinkRecord(byte[] path, byte[] existing)
    {
        var buffer = Begin(RecordOp.Link, path, existing.Length + 2);
        buffer.WriteUInt16((ushort)existing.Length);
        buffer.WriteBytes(existing);
        return buffer.Written.ToArray();
    }

    public static byte[] DirMetaRecord(byte[] path)
    {
        var buffer = Begin(RecordOp.DirMeta, path, 64);
        WriteMeta(buffer, FileKind.Directory);
        return buffer.Written.ToArray();
    }

    public static byte[] P(string path) => Encoding.UTF8.GetBytes(path);

    private static RecordBuffer Begin(RecordOp op, byte[] path, int extra)
    {
        var buffer = new RecordBuffer(path.Length + extra + 64);
        buffer.WriteByte((byte)op);
        buffer.WriteUInt16((ushort)path.Length);
        buffer.WriteBytes(path);
        return buffer;
    }

    private static void WriteMeta(RecordBuffer buffer, FileKind kind)
    {
        var entry = new FileEntry("x") { Kind = kind, Permissions = 0x1A4, Modify = new FileTime(1_600_000_000, 5), Access = new FileTime(1_600_000_000, 7) };
        buffer.WriteMeta(entry, MetaFlags.None, null);
    }
}
