using System.Diagnostics;
using System.Security.Cryptography;

namespace Sms.Replication.Tests.Integration;

/// <summary>Makes and compares disk images for the tests.</summary>
public static class Images
{
    public const int Block = 1 << 20;

    /// <summary>A sparse image: data in some blocks (random or compressible), holes elsewhere.</summary>
    public static void CreateSparse(string path, long length, int seed, double dataFraction = 0.4)
    {
        var random = new Random(seed);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        file.SetLength(length);
        var buffer = new byte[Block];
        for (long at = 0; at < length; at += Block)
        {
            if (random.NextDouble() >= dataFraction)
            {
                continue;
            }

            Fill(buffer, random);
            file.Position = at;
            file.Write(buffer, 0, (int)Math.Min(Block, length - at));
        }
    }

    /// <summary>Overwrites <paramref name="count"/> random ranges (of up to 64 KiB) with random or zero bytes.</summary>
    public static void Mutate(string path, int seed, int count)
    {
        var random = new Random(seed);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        for (var i = 0; i < count; i++)
        {
            var length = random.Next(1, 64 * 1024);
            var offset = random.NextInt64(0, Math.Max(1, file.Length - length));
            var bytes = new byte[length];
            if (random.Next(4) != 0)
            {
                random.NextBytes(bytes);
            }

            file.Position = offset;
            file.Write(bytes);
        }
    }

    /// <summary>Zeroes one whole block.</summary>
    public static void ZeroBlock(string path, long index)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.Position = index * Block;
        file.Write(new byte[(int)Math.Min(Block, file.Length - file.Position)]);
    }

    public static void AssertSameContent(string expected, string actual)
    {
        var a = new FileInfo(expected);
        var b = new FileInfo(actual);
        Assert.True(b.Exists, $"{actual} does not exist");
        Assert.Equal(a.Length, b.Length);
        using var fa = a.OpenRead();
        using var fb = b.OpenRead();
        var x = new byte[Block];
        var y = new byte[Block];
        long offset = 0;
        while (true)
        {
            var n = fa.ReadAtLeast(x, x.Length, throwOnEndOfStream: false);
            var m = fb.ReadAtLeast(y, y.Length, throwOnEndOfStream: false);
            Assert.Equal(n, m);
            if (n == 0)
            {
                return;
            }

            if (!x.AsSpan(0, n).SequenceEqual(y.AsSpan(0, n)))
            {
                var i = x.AsSpan(0, n).CommonPrefixLength(y.AsSpan(0, n));
                Assert.Fail($"{actual} differs from {expected} at offset {offset + i}");
            }

            offset += n;
        }
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }

    /// <summary>Runs a tool; fails the test with its output when it fails or is missing.</summary>
    public static string Run(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"'{tool}' is not installed (apt-get install e2fsprogs): {ex.Message}", ex);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} exited {process.ExitCode}: {stderr}");
            return stdout.Result;
        }
    }

    private static void Fill(byte[] buffer, Random random)
    {
        if (random.Next(2) == 0)
        {
            random.NextBytes(buffer);
            return;
        }

        // Compressible: text-like.
        for (var i = 0; i < buffer.Length; i++)
        {
            buffer[i] = (byte)('a' + ((i / 7) + random.Next(3)) % 26);
        }
    }
}
