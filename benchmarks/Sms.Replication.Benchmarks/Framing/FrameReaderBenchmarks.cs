using System.Buffers;
using BenchmarkDotNet.Attributes;
using Sms.Protocol;
using Sms.Replication.Benchmarks.Infrastructure;

namespace Sms.Replication.Benchmarks.Framing;

/// <summary>
/// <see cref="FrameReader.TryReadFrame"/> on one complete frame: from a single-segment sequence, from 64 KiB
/// segments (the header in the first one) and from 64 KiB segments after a 20-byte first segment (the header
/// straddles two segments: the copy-to-stack path). Parsing must not allocate nor touch the payload.
/// </summary>
[MemoryDiagnoser]
public class FrameReaderBenchmarks
{
    private const int PayloadSize = 1024 * 1024;
    private const int SegmentSize = 64 * 1024;

    private ReadOnlySequence<byte> _single;
    private ReadOnlySequence<byte> _multi;
    private ReadOnlySequence<byte> _split;

    [Params(FrameShape.HeaderOnly, FrameShape.Block1MiB)]
    public FrameShape Shape { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var writer = new ArrayBufferWriter<byte>(ProtocolConstants.HeaderSize + PayloadSize);
        var hash = new UInt128(0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210);
        if (Shape == FrameShape.HeaderOnly)
        {
            FrameWriter.WriteFrame(writer, FrameType.Zero, FrameFlags.None, 42L * PayloadSize, PayloadSize, UInt128.Zero, default);
        }
        else
        {
            FrameWriter.WriteFrame(writer, FrameType.Block, FrameFlags.None, 42L * PayloadSize, PayloadSize, hash, TestData.Random(PayloadSize));
        }

        var frame = writer.WrittenSpan;
        _single = new ReadOnlySequence<byte>(frame.ToArray());
        _multi = Sequences.Segmented(frame, SegmentSize, SegmentSize);
        _split = Sequences.Segmented(frame, ProtocolConstants.HeaderSize / 2, SegmentSize);
        Console.WriteLine($"// {Shape}: frame of {frame.Length} bytes; segments: multi {Count(_multi)}, split-header {Count(_split)}");
    }

    [Benchmark(Baseline = true)]
    public long SingleSegment() => Read(_single);

    [Benchmark]
    public long MultiSegment() => Read(_multi);

    [Benchmark]
    public long MultiSegmentSplitHeader() => Read(_split);

    private static long Read(ReadOnlySequence<byte> buffer)
    {
        if (!FrameReader.TryReadFrame(ref buffer, ReplicationSettings.MaxBlockSize, out var header, out var payload))
        {
            throw new InvalidOperationException("The frame is incomplete.");
        }

        return header.Offset + payload.Length + buffer.Length;
    }

    private static int Count(ReadOnlySequence<byte> sequence)
    {
        var count = 0;
        foreach (var unused in sequence)
        {
            count++;
        }

        return count;
    }
}
