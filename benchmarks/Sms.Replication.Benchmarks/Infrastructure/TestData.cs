namespace Sms.Replication.Benchmarks.Infrastructure;

/// <summary>What a benchmark block holds.</summary>
public enum DataKind
{
    /// <summary>Real binaries: the files of the running .NET runtime, System.Private.CoreLib.dll first (compressible, like a system disk).</summary>
    Binary,

    /// <summary>Seeded random bytes (incompressible, like encrypted or already-compressed data).</summary>
    Random,
}

/// <summary>Deterministic benchmark inputs.</summary>
public static class TestData
{
    /// <summary>The region the codec benchmarks walk block by block, so every block size sees the same bytes.</summary>
    public const int CodecRegionSize = 4 * 1024 * 1024;

    /// <summary>Bytes of the given kind.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="length">The length.</param>
    /// <returns>A new array.</returns>
    public static byte[] Create(DataKind kind, int length) => kind switch
    {
        DataKind.Binary => Binary(length),
        DataKind.Random => Random(length),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Seeded random bytes.</summary>
    /// <param name="length">The length.</param>
    /// <returns>A new array.</returns>
    public static byte[] Random(int length)
    {
        var bytes = new byte[length];
        new Random(42).NextBytes(bytes);
        return bytes;
    }

    /// <summary>
    /// The files of the running runtime's directory (System.Private.CoreLib.dll first, then the other files by
    /// name: managed assemblies and native libraries) concatenated up to <paramref name="length"/>, repeated
    /// if they are shorter.
    /// </summary>
    /// <param name="length">The length.</param>
    /// <returns>A new array.</returns>
    public static byte[] Binary(int length)
    {
        var directory = Path.GetDirectoryName(typeof(object).Assembly.Location)
            ?? throw new InvalidOperationException("The runtime directory is unknown.");
        var coreLib = Path.Combine(directory, "System.Private.CoreLib.dll");
        var files = new List<string> { coreLib };
        files.AddRange(Directory.GetFiles(directory)
            .Where(f => !string.Equals(f, coreLib, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal));

        var bytes = new byte[length];
        var filled = 0;
        while (filled < length)
        {
            foreach (var file in files)
            {
                using var stream = File.OpenRead(file);
                int read;
                while (filled < length && (read = stream.Read(bytes, filled, length - filled)) > 0)
                {
                    filled += read;
                }

                if (filled == length)
                {
                    break;
                }
            }
        }

        return bytes;
    }
}
