using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Sms.Compression;
using Sms.Replication.Benchmarks.Infrastructure;

namespace Sms.Replication.Benchmarks.Compression;

/// <summary>Compressed size / raw size over the codec benchmarks' region, cut into blocks.</summary>
public static class CompressionRatio
{
    /// <summary>Compresses <paramref name="region"/> block by block and sums the compressed sizes.</summary>
    /// <param name="kind">The codec.</param>
    /// <param name="region">The bytes.</param>
    /// <param name="blockSize">The block size.</param>
    /// <returns>Compressed bytes / raw bytes, counting each block's codec output even when it is not smaller.</returns>
    public static double Measure(CompressionKind kind, ReadOnlySpan<byte> region, int blockSize)
    {
        using var codec = new BlockCodec(kind);
        var destination = new byte[BlockCodec.MaxCompressedLength(blockSize)];
        long compressed = 0;
        for (var offset = 0; offset < region.Length; offset += blockSize)
        {
            codec.TryCompress(region.Slice(offset, Math.Min(blockSize, region.Length - offset)), destination, out var written, out _);
            compressed += written;
        }

        return (double)compressed / region.Length;
    }
}

/// <summary>Adds a <c>Ratio</c> column (compressed / raw) to <see cref="BlockCodecBenchmarks"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class CompressionRatioColumnAttribute : ColumnConfigBaseAttribute
{
    /// <summary>Adds the column.</summary>
    public CompressionRatioColumnAttribute()
        : base(new CompressionRatioColumn())
    {
    }
}

/// <summary>The compressed / raw size for the case's data, block size and codec (recomputed in the host process).</summary>
public sealed class CompressionRatioColumn : CustomColumnBase
{
    private readonly Dictionary<(DataKind, int, CompressionKind), double> _cache = [];

    /// <inheritdoc />
    public override string Id => "Sms.CompressionRatio";

    /// <inheritdoc />
    public override string ColumnName => "Size ratio";

    /// <inheritdoc />
    public override string Legend => "Compressed bytes / raw bytes of the codec in the method's name over the 4 MiB region (lower is better; >= 1 means the block is sent raw)";

    /// <inheritdoc />
    public override string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var method = benchmarkCase.Descriptor.WorkloadMethod.Name;
        CompressionKind? kind = method.StartsWith("Lz4", StringComparison.Ordinal) ? CompressionKind.Lz4
            : method.StartsWith("Zstd", StringComparison.Ordinal) ? CompressionKind.Zstd
            : null;
        var blockSize = Parameter(benchmarkCase, nameof(BlockCodecBenchmarks.BlockSize));
        var data = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == nameof(BlockCodecBenchmarks.Data))?.Value;
        if (kind is null || blockSize is null || data is not DataKind dataKind)
        {
            return "-";
        }

        var key = (dataKind, (int)blockSize.Value, kind.Value);
        lock (_cache)
        {
            if (!_cache.TryGetValue(key, out var ratio))
            {
                ratio = CompressionRatio.Measure(kind.Value, TestData.Create(dataKind, TestData.CodecRegionSize), key.Item2);
                _cache[key] = ratio;
            }

            return ratio.ToString("F3", CultureInfo.InvariantCulture);
        }
    }
}
