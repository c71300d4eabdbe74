using System.IO.Hashing;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Sms.Blocks;

namespace Sms.Replication.Benchmarks.Hashing;

/// <summary>Per-block identity: XXH128 (what the engine uses) against SHA-256, and the all-zero check that skips hashing.</summary>
[MemoryDiagnoser]
public class BlockHashBenchmarks
{
    private byte[] _block = [];

    [Params(64 * 1024, 1024 * 1024, 4 * 1024 * 1024)]
    public int BlockSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _block = new byte[BlockSize];
        new Random(1).NextBytes(_block);
    }

    [Benchmark(Baseline = true)]
    public UInt128 Xxh128() => XxHash128.HashToUInt128(_block);

    [Benchmark]
    public UInt128 BlockHashCompute() => BlockHash.Compute(_block);

    [Benchmark]
    public byte[] Sha256() => SHA256.HashData(_block);
}
