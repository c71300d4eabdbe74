using System.IO.Hashing;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Sms.Blocks;
using Sms.Replication.Benchmarks.Infrastructure;

namespace Sms.Replication.Benchmarks.Hashing;

/// <summary>
/// Per-block identity: XXH128 (what the engine uses) against XXH3-64 and SHA-256, and the all-zero check that
/// <see cref="BlockHash.Compute"/> runs first (on data it exits at the first non-zero byte; a zero block is the full scan).
/// </summary>
[MemoryDiagnoser]
[ThroughputColumn(nameof(BlockSize))]
public class BlockHashBenchmarks
{
    private byte[] _block = [];
    private byte[] _zeroBlock = [];

    [Params(64 * 1024, 256 * 1024, 1024 * 1024, 4 * 1024 * 1024)]
    public int BlockSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _block = new byte[BlockSize];
        new Random(1).NextBytes(_block);
        _zeroBlock = new byte[BlockSize];
    }

    [Benchmark(Baseline = true)]
    public UInt128 Xxh128() => XxHash128.HashToUInt128(_block);

    [Benchmark]
    public UInt128 BlockHashCompute() => BlockHash.Compute(_block);

    [Benchmark]
    public ulong Xxh3_64() => XxHash3.HashToUInt64(_block);

    [Benchmark]
    public bool IsZeroOnZeroBlock() => BlockHash.IsZero(_zeroBlock);

    [Benchmark]
    public byte[] Sha256() => SHA256.HashData(_block);
}
