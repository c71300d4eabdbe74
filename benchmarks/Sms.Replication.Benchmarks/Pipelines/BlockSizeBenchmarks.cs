using System.Buffers;
using BenchmarkDotNet.Attributes;
using Sms.Blocks;
using Sms.Compression;
using Sms.Protocol;
using Sms.Replication.Benchmarks.Infrastructure;

namespace Sms.Replication.Benchmarks.Pipelines;

/// <summary>
/// The per-block CPU cost that decides the block size: one operation takes a 64 MiB buffer of real binaries
/// (more than the caches hold) block by block through what a replication worker and the sender do to each block
/// — <see cref="BlockHash.Compute"/>, <see cref="BlockCodec.TryCompress"/> (keeping the smaller form) and
/// <see cref="FrameWriter.WriteFrame"/> into a reused buffer writer — single-threaded. The baseline sends raw
/// (compression off). The hot path must allocate nothing: Alloc/block is 0 B.
/// </summary>
[MemoryDiagnoser]
[ThroughputColumn(BufferSize)]
[PerBlockColumns(BufferSize, nameof(BlockSize))]
public class BlockSizeBenchmarks
{
    private const int BufferSize = 64 * 1024 * 1024;

    private byte[] _buffer = [];
    private byte[] _packed = [];
    private ArrayBufferWriter<byte> _writer = new();
    private BlockCodec? _none;
    private BlockCodec? _lz4;
    private BlockCodec? _zstd;

    [Params(64 * 1024, 256 * 1024, 1024 * 1024, 4 * 1024 * 1024)]
    public int BlockSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _buffer = TestData.Binary(BufferSize);
        _packed = new byte[BlockCodec.MaxCompressedLength(BlockSize)];
        _writer = new ArrayBufferWriter<byte>(ProtocolConstants.HeaderSize + _packed.Length);
        _none = new BlockCodec(CompressionKind.None);
        _lz4 = new BlockCodec(CompressionKind.Lz4);
        _zstd = new BlockCodec(CompressionKind.Zstd);

        // One pass of each outside the measurement: warms the zstd context and reports the bytes on the wire.
        var raw = Run(_none);
        var lz4 = Run(_lz4);
        var zstd = Run(_zstd);
        Console.WriteLine(
            $"// {BlockSize / 1024} KiB blocks, {BufferSize / BlockSize} per pass: wire bytes / raw bytes: " +
            $"raw {(double)raw / BufferSize:F4}, LZ4 {(double)lz4 / BufferSize:F4}, zstd-1 {(double)zstd / BufferSize:F4}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _none?.Dispose();
        _lz4?.Dispose();
        _zstd?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public long HashFrameRaw() => Run(_none!);

    [Benchmark]
    public long HashLz4Frame() => Run(_lz4!);

    [Benchmark]
    public long HashZstdFrame() => Run(_zstd!);

    private long Run(BlockCodec codec)
    {
        long wire = 0;
        var blockSize = BlockSize;
        for (var offset = 0; offset < BufferSize; offset += blockSize)
        {
            var block = _buffer.AsSpan(offset, blockSize);
            var hash = BlockHash.Compute(block);
            var type = FrameType.Block;
            var flags = FrameFlags.None;
            ReadOnlySpan<byte> payload = block;
            if (hash == BlockHash.Zero)
            {
                type = FrameType.Zero;
                payload = default;
            }
            else if (codec.TryCompress(block, _packed, out var packed, out var packedFlags))
            {
                flags = packedFlags;
                payload = _packed.AsSpan(0, packed);
            }

            _writer.ResetWrittenCount();
            wire += FrameWriter.WriteFrame(_writer, type, flags, offset, blockSize, hash, payload);
        }

        return wire;
    }
}
