using System.Buffers;
using BenchmarkDotNet.Attributes;
using Sms.Protocol;
using Sms.Replication.Benchmarks.Infrastructure;

namespace Sms.Replication.Benchmarks.Framing;

/// <summary>
/// <see cref="FrameWriter.WriteFrame"/> of one frame: into a reused <see cref="ArrayBufferWriter{T}"/> (reset each
/// time: the header write plus the payload copy), and through <see cref="FrameConnection"/> to
/// <see cref="Stream.Null"/> with a flush per frame (the sender's real path minus TLS: a <c>PipeWriter</c> over a stream).
/// </summary>
[MemoryDiagnoser]
public class FrameWriterBenchmarks
{
    private const int PayloadSize = 1024 * 1024;

    private readonly UInt128 _hash = new(0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210);
    private ArrayBufferWriter<byte> _writer = new();
    private FrameConnection? _connection;
    private byte[] _payload = [];
    private FrameType _type;

    [Params(FrameShape.HeaderOnly, FrameShape.Block1MiB)]
    public FrameShape Shape { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _payload = Shape == FrameShape.HeaderOnly ? [] : TestData.Random(PayloadSize);
        _type = Shape == FrameShape.HeaderOnly ? FrameType.Zero : FrameType.Block;
        _writer = new ArrayBufferWriter<byte>(ProtocolConstants.HeaderSize + PayloadSize);
        _connection = new FrameConnection(Stream.Null);
    }

    [GlobalCleanup]
    public void Cleanup() => _connection?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public int ArrayBufferWriter()
    {
        _writer.ResetWrittenCount();
        return FrameWriter.WriteFrame(_writer, _type, FrameFlags.None, 42L * PayloadSize, PayloadSize, _hash, _payload);
    }

    [Benchmark]
    public int ConnectionToNullStream()
    {
        var written = _connection!.Write(_type, FrameFlags.None, 42L * PayloadSize, PayloadSize, _hash, _payload);
        _connection.FlushAsync().AsTask().GetAwaiter().GetResult();
        return written;
    }
}
