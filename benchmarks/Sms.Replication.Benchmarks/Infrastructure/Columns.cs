using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Sms.Replication.Benchmarks.Infrastructure;

/// <summary>
/// Adds a <c>GB/s</c> column (10^9 bytes per second, from the mean time): the bytes one operation processes are
/// either an <see langword="int"/> parameter of the benchmark (<c>BlockSize</c>, say) or a constant.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ThroughputColumnAttribute : ColumnConfigBaseAttribute
{
    /// <summary>One operation processes as many bytes as the named parameter says.</summary>
    /// <param name="bytesParameter">The parameter's name.</param>
    public ThroughputColumnAttribute(string bytesParameter)
        : base(new ThroughputColumn(bytesParameter, 0))
    {
        BytesParameter = bytesParameter;
    }

    /// <summary>One operation processes a fixed number of bytes.</summary>
    /// <param name="bytesPerOperation">The bytes.</param>
    public ThroughputColumnAttribute(long bytesPerOperation)
        : base(new ThroughputColumn(null, bytesPerOperation))
    {
        BytesPerOperation = bytesPerOperation;
    }

    /// <summary>The parameter naming the bytes per operation, if any.</summary>
    /// <value>A parameter name.</value>
    public string? BytesParameter { get; }

    /// <summary>The fixed bytes per operation, if any.</summary>
    /// <value>A byte count.</value>
    public long BytesPerOperation { get; }
}

/// <summary>
/// For benchmarks whose operation processes a fixed buffer in blocks: adds <c>Blocks</c>, <c>Time/block</c> and
/// <c>Alloc/block</c> columns (the mean time and the allocations of one operation divided by the block count).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class PerBlockColumnsAttribute : ColumnConfigBaseAttribute
{
    /// <summary>Adds the columns.</summary>
    /// <param name="bytesPerOperation">The buffer one operation processes.</param>
    /// <param name="blockSizeParameter">The parameter holding the block size.</param>
    public PerBlockColumnsAttribute(long bytesPerOperation, string blockSizeParameter)
        : base(
            new PerBlockColumn(PerBlockColumn.Kind.Count, bytesPerOperation, blockSizeParameter),
            new PerBlockColumn(PerBlockColumn.Kind.Time, bytesPerOperation, blockSizeParameter),
            new PerBlockColumn(PerBlockColumn.Kind.Allocation, bytesPerOperation, blockSizeParameter))
    {
        BytesPerOperation = bytesPerOperation;
        BlockSizeParameter = blockSizeParameter;
    }

    /// <summary>The buffer one operation processes.</summary>
    /// <value>A byte count.</value>
    public long BytesPerOperation { get; }

    /// <summary>The parameter holding the block size.</summary>
    /// <value>A parameter name.</value>
    public string BlockSizeParameter { get; }
}

/// <summary>Shared plumbing of the custom columns.</summary>
public abstract class CustomColumnBase : IColumn
{
    /// <inheritdoc />
    public abstract string Id { get; }

    /// <inheritdoc />
    public abstract string ColumnName { get; }

    /// <inheritdoc />
    public abstract string Legend { get; }

    /// <inheritdoc />
    public bool AlwaysShow => true;

    /// <inheritdoc />
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc />
    public int PriorityInCategory => 0;

    /// <inheritdoc />
    public bool IsNumeric => true;

    /// <inheritdoc />
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    /// <inheritdoc />
    public abstract string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style);

    /// <inheritdoc />
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc />
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <inheritdoc />
    public override string ToString() => ColumnName;

    /// <summary>The mean time of one operation, in nanoseconds.</summary>
    /// <param name="summary">The summary.</param>
    /// <param name="benchmarkCase">The case.</param>
    /// <returns>The mean, or <see langword="null"/> when the case did not run.</returns>
    protected static double? MeanNanoseconds(Summary summary, BenchmarkCase benchmarkCase)
        => summary[benchmarkCase]?.ResultStatistics?.Mean;

    /// <summary>Reads an integer parameter.</summary>
    /// <param name="benchmarkCase">The case.</param>
    /// <param name="name">The parameter.</param>
    /// <returns>Its value, or <see langword="null"/>.</returns>
    protected static long? Parameter(BenchmarkCase benchmarkCase, string name)
        => benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == name)?.Value is { } value
            ? Convert.ToInt64(value, CultureInfo.InvariantCulture)
            : null;
}

/// <summary>GB/s (10^9 bytes per second) from the mean time.</summary>
public sealed class ThroughputColumn : CustomColumnBase
{
    private readonly string? _bytesParameter;
    private readonly long _bytesPerOperation;

    /// <summary>Creates the column.</summary>
    /// <param name="bytesParameter">The parameter naming the bytes per operation, or <see langword="null"/>.</param>
    /// <param name="bytesPerOperation">The fixed bytes per operation when there is no parameter.</param>
    public ThroughputColumn(string? bytesParameter, long bytesPerOperation)
    {
        _bytesParameter = bytesParameter;
        _bytesPerOperation = bytesPerOperation;
    }

    /// <inheritdoc />
    public override string Id => "Sms.Throughput";

    /// <inheritdoc />
    public override string ColumnName => "GB/s";

    /// <inheritdoc />
    public override string Legend => "Bytes processed per second / 10^9, from the mean time of one operation";

    /// <inheritdoc />
    public override string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var bytes = _bytesParameter is null ? _bytesPerOperation : Parameter(benchmarkCase, _bytesParameter);
        var mean = MeanNanoseconds(summary, benchmarkCase);
        return bytes is > 0 && mean is > 0
            ? (bytes.Value / mean.Value).ToString("N2", CultureInfo.InvariantCulture) // bytes per ns = GB/s
            : "-";
    }
}

/// <summary>Per-block figures of an operation that processes a buffer in blocks.</summary>
public sealed class PerBlockColumn : CustomColumnBase
{
    private readonly Kind _kind;
    private readonly long _bytesPerOperation;
    private readonly string _blockSizeParameter;

    /// <summary>Creates the column.</summary>
    /// <param name="kind">What it shows.</param>
    /// <param name="bytesPerOperation">The buffer one operation processes.</param>
    /// <param name="blockSizeParameter">The parameter holding the block size.</param>
    public PerBlockColumn(Kind kind, long bytesPerOperation, string blockSizeParameter)
    {
        _kind = kind;
        _bytesPerOperation = bytesPerOperation;
        _blockSizeParameter = blockSizeParameter;
    }

    /// <summary>What a <see cref="PerBlockColumn"/> shows.</summary>
    public enum Kind
    {
        /// <summary>Blocks per operation.</summary>
        Count,

        /// <summary>Mean time per block.</summary>
        Time,

        /// <summary>Bytes allocated per block.</summary>
        Allocation,
    }

    /// <inheritdoc />
    public override string Id => "Sms.PerBlock." + _kind;

    /// <inheritdoc />
    public override string ColumnName => _kind switch
    {
        Kind.Count => "Blocks",
        Kind.Time => "Time/block",
        _ => "Alloc/block",
    };

    /// <inheritdoc />
    public override string Legend => _kind switch
    {
        Kind.Count => "Blocks per operation",
        Kind.Time => "Mean time of one operation / blocks per operation",
        _ => "Bytes allocated by one operation / blocks per operation",
    };

    /// <inheritdoc />
    public override string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var blockSize = Parameter(benchmarkCase, _blockSizeParameter);
        if (blockSize is not > 0)
        {
            return "-";
        }

        var blocks = (double)_bytesPerOperation / blockSize.Value;
        switch (_kind)
        {
            case Kind.Count:
                return blocks.ToString("N0", CultureInfo.InvariantCulture);
            case Kind.Time:
                var mean = MeanNanoseconds(summary, benchmarkCase);
                return mean is null ? "-" : (mean.Value / blocks / 1000).ToString("N2", CultureInfo.InvariantCulture) + " μs";
            default:
                var allocated = summary[benchmarkCase]?.GcStats.GetBytesAllocatedPerOperation(benchmarkCase);
                return allocated switch
                {
                    null => "-",
                    0 => "0 B",
                    _ => (allocated.Value / blocks).ToString("N1", CultureInfo.InvariantCulture) + " B",
                };
        }
    }
}
