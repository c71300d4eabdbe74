using BenchmarkDotNet.Attributes;
using Sms.Compression;
using Sms.Protocol;
using Sms.Replication.Benchmarks.Infrastructure;

namespace Sms.Replication.Benchmarks.Compression;

/// <summary>
/// <see cref="BlockCodec"/> per block: LZ4 (the default) and zstd level 1 against a plain copy, on real binaries
/// and on random bytes. Every operation takes the next block of the same 4 MiB region (wrapping), so all block
/// sizes see the same bytes and the ratio column compares like with like. Decompress decodes the LZ4 payloads
/// of those blocks (on random data the engine would send them raw; the figure is LZ4's literal-copy speed).
/// </summary>
[MemoryDiagnoser]
[ThroughputColumn(nameof(BlockSize))]
[CompressionRatioColumn]
public class BlockCodecBenchmarks
{
    private byte[] _region = [];
    private byte[] _destination = [];
    private byte[][] _lz4Payloads = [];
    private BlockCodec? _lz4;
    private BlockCodec? _zstd;
    private int _blocks;
    private int _next;

    [Params(64 * 1024, 256 * 1024, 1024 * 1024, 4 * 1024 * 1024)]
    public int BlockSize { get; set; }

    [Params(DataKind.Binary, DataKind.Random)]
    public DataKind Data { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _region = TestData.Create(Data, TestData.CodecRegionSize);
        _blocks = _region.Length / BlockSize;
        _destination = new byte[BlockCodec.MaxCompressedLength(BlockSize)];
        _lz4 = new BlockCodec(CompressionKind.Lz4);
        _zstd = new BlockCodec(CompressionKind.Zstd);
        _lz4Payloads = new byte[_blocks][];
        for (var i = 0; i < _blocks; i++)
        {
            _lz4.TryCompress(Block(i), _destination, out var written, out _);
            _lz4Payloads[i] = _destination.AsSpan(0, written).ToArray();
        }

        _zstd.TryCompress(Block(0), _destination, out _, out _); // creates the zstd context outside the measurement
        _next = 0;
        Console.WriteLine(
            $"// Ratio (compressed/raw) {Data}, {BlockSize / 1024} KiB blocks over {TestData.CodecRegionSize >> 20} MiB: " +
            $"LZ4 {CompressionRatio.Measure(CompressionKind.Lz4, _region, BlockSize):F3}, zstd-1 {CompressionRatio.Measure(CompressionKind.Zstd, _region, BlockSize):F3}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _lz4?.Dispose();
        _zstd?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public int Memcpy()
    {
        var block = Block(Advance());
        block.CopyTo(_destination);
        return block.Length;
    }

    [Benchmark]
    public int Lz4Compress()
    {
        _lz4!.TryCompress(Block(Advance()), _destination, out var written, out _);
        return written;
    }

    [Benchmark]
    public int ZstdCompress()
    {
        _zstd!.TryCompress(Block(Advance()), _destination, out var written, out _);
        return written;
    }

    [Benchmark]
    public int Lz4Decompress()
    {
        var destination = _destination.AsSpan(0, BlockSize);
        _lz4!.Decompress(FrameFlags.Lz4, _lz4Payloads[Advance()], destination);
        return destination.Length;
    }

    private ReadOnlySpan<byte> Block(int index) => _region.AsSpan(index * BlockSize, BlockSize);

    private int Advance()
    {
        var index = _next;
        _next = index + 1 == _blocks ? 0 : index + 1;
        return index;
    }
}
