namespace Sms.Integration.Tests.Support;

/// <summary>Source disk images made by the tests, and byte-for-byte comparison of source and target.</summary>
public static class Images
{
    public const int BlockSize = 1 << 20;

    /// <summary>A fully written image of random (incompressible) data.</summary>
    public static void CreateIncompressible(string path, long length, int seed)
    {
        var random = new Random(seed);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20);
        var block = new byte[BlockSize];
        for (long at = 0; at < length; at += BlockSize)
        {
            random.NextBytes(block);
            file.Write(block, 0, (int)Math.Min(BlockSize, length - at));
        }
    }

    /// <summary>
    /// A fully written image of text-like data that LZ4 shrinks about tenfold: every block is a different random
    /// sequence of 32-byte words from a small vocabulary.
    /// </summary>
    public static void CreateCompressible(string path, long length, int seed)
    {
        var random = new Random(seed);
        var vocabulary = new byte[256][];
        for (var i = 0; i < vocabulary.Length; i++)
        {
            vocabulary[i] = new byte[32];
            random.NextBytes(vocabulary[i]);
        }

        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20);
        var block = new byte[BlockSize];
        for (long at = 0; at < length; at += BlockSize)
        {
            for (var k = 0; k < BlockSize; k += 32)
            {
                vocabulary[random.Next(vocabulary.Length)].CopyTo(block, k);
            }

            file.Write(block, 0, (int)Math.Min(BlockSize, length - at));
        }
    }

    /// <summary>A sparse image of <paramref name="length"/> bytes with <paramref name="extentBytes"/> of random data every <paramref name="stride"/> bytes.</summary>
    public static long CreateSparse(string path, long length, long stride, int extentBytes, int seed)
    {
        var random = new Random(seed);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        file.SetLength(length);
        var data = new byte[extentBytes];
        long written = 0;
        for (long at = 0; at + extentBytes <= length; at += stride)
        {
            random.NextBytes(data);
            file.Position = at;
            file.Write(data);
            written += extentBytes;
        }

        return written;
    }

    /// <summary>Whether two files are as long and hold the same bytes in the blocks of <paramref name="blockSize"/> at <paramref name="offsets"/>.</summary>
    public static bool SameBlocks(string a, string b, IEnumerable<long> offsets, int blockSize)
    {
        using var fa = File.OpenHandle(a);
        using var fb = File.OpenHandle(b);
        if (RandomAccess.GetLength(fa) != RandomAccess.GetLength(fb))
        {
            return false;
        }

        var x = new byte[blockSize];
        var y = new byte[blockSize];
        foreach (var offset in offsets)
        {
            var n = RandomAccess.Read(fa, x, offset);
            var m = RandomAccess.Read(fb, y, offset);
            if (n != m || !x.AsSpan(0, n).SequenceEqual(y.AsSpan(0, m)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The bytes a file has allocated on disk (st_blocks x 512), from <c>stat</c>.</summary>
    public static long AllocatedBytes(string path)
        => long.Parse(Host.MustRun("stat", "-c", "%b", path).Trim(), System.Globalization.CultureInfo.InvariantCulture) * 512;

    /// <summary>Whether two files hold the same bytes (a missing tail of the shorter one counts as zeros only if lengths match).</summary>
    public static bool SameBytes(string a, string b)
    {
        using var fa = new FileStream(a, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        using var fb = new FileStream(b, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        if (fa.Length != fb.Length)
        {
            return false;
        }

        var x = new byte[1 << 20];
        var y = new byte[1 << 20];
        while (true)
        {
            var n = fa.ReadAtLeast(x, x.Length, false);
            var m = fb.ReadAtLeast(y, y.Length, false);
            if (n != m || !x.AsSpan(0, n).SequenceEqual(y.AsSpan(0, m)))
            {
                return false;
            }

            if (n == 0)
            {
                return true;
            }
        }
    }
}
