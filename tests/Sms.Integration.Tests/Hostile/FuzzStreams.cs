using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using Sms.Blocks;
using Sms.Protocol;

namespace Sms.Integration.Tests.Hostile;

/// <summary>
/// Hostile streams for the receiver, as FsCheck generators. Every stream is made of whole frames (a payload as long as
/// its header says), so a receiver must answer each with an Error frame rather than wait; none contains Bye, the one
/// frame that ends a session cleanly, and each ends with a frame of an unknown type.
/// </summary>
public static class FuzzStreams
{
    public const int BlockSize = 1 << 20;
    public const long VolumeLength = 8L << 20;

    private static readonly byte[] DataTypes = [.. Enum.GetValues<FrameType>().Where(t => t != FrameType.Bye).Select(t => (byte)t)];

    private static readonly string[] NastyNames =
    [
        "../escape", "..", ".", "/etc/passwd", "a/../../b", "a/b", ".sms", ".hidden", "", " ", "x\u0000y", "con", new string('a', 129),
        "ok-name", "disk0", "..\\..\\win", "%2e%2e%2fescape", "\u202Ereversed", "name\n", "trailing.",
    ];

    /// <summary>Frames after the preamble and before any Hello (no session, no token).</summary>
    public static Arbitrary<FuzzStream> PreHello() => Arb.From(
        from n in Gen.Choose(1, 6)
        from frames in Gen.ListOf(AnyFrame(), n)
        select new FuzzStream("pre-hello", Session.None, null, [.. frames]));

    /// <summary>Random data frames inside an authenticated block session.</summary>
    public static Arbitrary<FuzzStream> BlockSession() => Arb.From(
        from n in Gen.Choose(1, 8)
        from frames in Gen.ListOf(AnyFrame(), n)
        select new FuzzStream("block-session", Session.Blocks, "fuzz-b", [.. frames]));

    /// <summary>A valid block session (hashed blocks in order) with one byte changed somewhere after the Hello.</summary>
    public static Arbitrary<FuzzStream> MutatedSession() => Arb.From(
        from blocks in Gen.Choose(1, 4)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        from which in Gen.Choose(0, 1000)
        from at in Gen.Choose(0, int.MaxValue - 1)
        from flip in Gen.Choose(1, 255)
        select Mutate(ValidBlocks(blocks, seed), which, at, (byte)flip));

    /// <summary>Random records in the frames of an authenticated file-level session.</summary>
    public static Arbitrary<FuzzStream> FilesSession() => Arb.From(
        from n in Gen.Choose(1, 6)
        from frames in Gen.ListOf(FileFrame(), n)
        select new FuzzStream("files-session", Session.Files, "fuzz-t", [.. frames]));

    /// <summary>Hellos with the right token and anything else wrong: names, sizes, kinds, types, garbage.</summary>
    public static Arbitrary<FuzzStream> Hellos() => Arb.From(
        from name in Gen.Elements(NastyNames)
        from length in Gen.Elements(-1L, 0L, 1L, 4095L, VolumeLength, 1L << 40, long.MaxValue)
        from blockSize in Gen.Elements(0, 1, 4096, 65536, 1 << 20, 3 << 20, 16 << 20, int.MaxValue, -65536)
        from kind in Gen.Elements<string?>(null, "blocks", "files", "nope", "")
        from shape in Gen.Choose(0, 4)
        select new FuzzStream("hello", Session.HelloOnly, null, [])
        {
            HelloJson = shape switch
            {
                0 => $"{{\"token\":\"{{TOKEN}}\",\"volume\":{Json(name)},\"sourceLength\":{length},\"blockSize\":{blockSize},\"reset\":true{(kind is null ? string.Empty : $",\"kind\":{Json(kind)},\"tree\":{Json(name)}")}}}",
                1 => $"{{\"token\":\"{{TOKEN}}\",\"volume\":{length},\"sourceLength\":{Json(name)}}}",
                2 => $"{{\"token\":\"{{TOKEN}}\",\"volume\":{Json(name)},\"sourceLength\":{length},\"blockSize\":{blockSize},\"extra\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}}",
                3 => $"[\"{{TOKEN}}\",{Json(name)},{length}]",
                _ => $"{{\"token\":\"{{TOKEN}}\",\"volume\":{Json(name)},\"sourceLength\":{length},\"blockSize\":{blockSize},\"reset\":\"yes\",\"expectedVolumeId\":{Json(name)}}}",
            },
        });

    /// <summary>A frame: 40-byte header with the given fields and a payload of exactly the declared length.</summary>
    public static byte[] Frame(byte type, byte flags, long offset, int rawLength, UInt128 hash, ReadOnlySpan<byte> payload, ushort reserved = 0)
    {
        var frame = new byte[ProtocolConstants.HeaderSize + payload.Length];
        FrameWriter.WriteHeader(frame, new FrameHeader((FrameType)type, (FrameFlags)flags, payload.Length, offset, rawLength, hash));
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(6), reserved); // the reserved field after the flags
        payload.CopyTo(frame.AsSpan(ProtocolConstants.HeaderSize));
        return frame;
    }

    /// <summary>A frame of a type no version defines: the stream's last word.</summary>
    public static byte[] Terminator() => Frame(0xEE, 0, 0, 0, 0, []);

    private static Gen<byte[]> AnyFrame() =>
        from type in Gen.Frequency((9, Gen.Elements(DataTypes)), (1, Gen.Choose(0, 255).Select(b => (byte)b)))
        from flags in Gen.Frequency((8, Gen.Elements<byte>(0, 1, 2)), (1, Gen.Choose(0, 255).Select(b => (byte)b)))
        from reserved in Gen.Frequency((9, Gen.Constant<ushort>(0)), (1, Gen.Choose(1, 65535).Select(r => (ushort)r)))
        from offset in Gen.Elements(0L, BlockSize, 2L * BlockSize, VolumeLength - BlockSize, VolumeLength, 12345L, long.MaxValue, -1L, 1L << 62)
        from rawLength in Gen.Elements(0, 1, 16, 4096, BlockSize, BlockSize + 1, int.MaxValue, -1)
        from hashed in Gen.Elements(true, false)
        from payloadLength in Gen.Frequency((3, Gen.Constant(0)), (5, Gen.Choose(1, 256)), (2, Gen.Choose(257, 64 * 1024)))
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select RandomFrame(type, flags, reserved, offset, rawLength, hashed, payloadLength, seed);

    private static byte[] RandomFrame(byte type, byte flags, ushort reserved, long offset, int rawLength, bool hashed, int payloadLength, int seed)
    {
        var payload = new byte[payloadLength];
        new Random(seed).NextBytes(payload);
        var hash = hashed ? BlockHash.Compute(payload) : (UInt128)(ulong)seed;
        return Frame(type, flags, offset, rawLength, hash, payload, reserved);
    }

    private static Gen<byte[]> FileFrame() =>
        from type in Gen.Elements(FrameType.FileDirs, FrameType.FileBatch, FrameType.FileBegin, FrameType.FileChunk, FrameType.FileEnd, FrameType.FileFinish, FrameType.FileVerify, FrameType.End)
        from n in Gen.Choose(1, 4)
        from records in Gen.ListOf(FileRecord(), n)
        from rawLength in Gen.Elements(0, 1, 64, 1 << 20)
        select Frame((byte)type, 0, 0, rawLength, 0, records.SelectMany(r => r).ToArray());

    // A record of the file wire: u8 op, u16 path length, path, then whatever bytes (often too few or too many).
    private static Gen<byte[]> FileRecord() =>
        from op in Gen.Choose(0, 12)
        from path in Gen.Elements(NastyNames.Concat(["d/f", "d/../../x", "/abs", "d//e", "a/./b", "link/through"]).ToArray())
        from tailLength in Gen.Choose(0, 96)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select FileRecordBytes((byte)op, path, tailLength, seed);

    private static byte[] FileRecordBytes(byte op, string path, int tailLength, int seed)
    {
        var name = System.Text.Encoding.UTF8.GetBytes(path);
        var record = new byte[3 + name.Length + tailLength];
        record[0] = op;
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(1), (ushort)name.Length);
        name.CopyTo(record, 3);
        new Random(seed).NextBytes(record.AsSpan(3 + name.Length));
        return record;
    }

    private static byte[][] ValidBlocks(int count, int seed)
    {
        var random = new Random(seed);
        var frames = new byte[count + 1][];
        for (var i = 0; i < count; i++)
        {
            var block = new byte[BlockSize];
            random.NextBytes(block.AsSpan(0, 4096)); // mostly zeros: small to send, still a real block
            frames[i] = Frame((byte)FrameType.Block, 0, (long)i * BlockSize, BlockSize, BlockHash.Compute(block), block);
        }

        frames[count] = Frame((byte)FrameType.End, 0, count, 0, 0, []);
        return frames;
    }

    private static FuzzStream Mutate(byte[][] frames, int which, int at, byte flip)
    {
        var frame = frames[which % frames.Length];
        var position = at % Math.Min(frame.Length, ProtocolConstants.HeaderSize + 8192);
        frame[position] ^= flip;
        return new FuzzStream("mutated-session", Session.Blocks, "fuzz-m", frames) { Mutation = $"frame {which % frames.Length} byte {position} ^= 0x{flip:X2}" };
    }

    private static string Json(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}

public enum Session
{
    None,
    Blocks,
    Files,
    HelloOnly,
}

/// <summary>One hostile stream: which session it opens (with the right token) and the frames that follow.</summary>
public sealed record FuzzStream(string Kind, Session Session, string? Volume, byte[][] Frames)
{
    public string? HelloJson { get; init; }

    public string? Mutation { get; init; }

    public override string ToString()
        => $"{Kind}{(Volume is null ? string.Empty : " " + Volume)}: {Frames.Length} frames ({string.Join(", ", Frames.Select(f => $"type {f[4]} len {f.Length - ProtocolConstants.HeaderSize}"))}){(Mutation is null ? string.Empty : ", " + Mutation)}{(HelloJson is null ? string.Empty : ", hello " + HelloJson)}";
}
