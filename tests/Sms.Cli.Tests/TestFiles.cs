using System.Text.Json;

namespace Sms.Cli.Tests;

public sealed class TestFiles : IDisposable
{
    public TestFiles()
    {
        Root = Directory.CreateTempSubdirectory("sms-cli-").FullName;
    }

    public string Root { get; }

    public string this[string name] => Path.Combine(Root, name);

    public static void CreateImage(string path, long length, int seed)
    {
        var random = new Random(seed);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        file.SetLength(length);
        var block = new byte[1 << 20];
        for (long at = 0; at < length; at += 2L << 20)
        {
            random.NextBytes(block);
            file.Position = at;
            file.Write(block);
        }
    }

    public static async Task<JsonElement> WaitForPairingAsync(string path)
    {
        for (var i = 0; i < 300; i++)
        {
            if (File.Exists(path))
            {
                try
                {
                    return JsonDocument.Parse(await File.ReadAllTextAsync(path)).RootElement;
                }
                catch (JsonException)
                {
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No pairing file at {path}");
    }

    public static JsonElement LastJsonLine(string stdout)
    {
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(lines);
        return JsonDocument.Parse(lines[^1]).RootElement;
    }

    public static bool SameBytes(string a, string b) => new FileInfo(a).Length == new FileInfo(b).Length && SamePrefix(a, b);

    /// <summary>Whether <paramref name="b"/> starts with the whole of <paramref name="a"/> (a target volume may be larger than its source disk).</summary>
    public static bool SamePrefix(string a, string b)
    {
        using var fa = File.OpenRead(a);
        using var fb = File.OpenRead(b);
        if (fb.Length < fa.Length)
        {
            return false;
        }

        var x = new byte[1 << 20];
        var y = new byte[1 << 20];
        while (true)
        {
            var n = fa.ReadAtLeast(x, x.Length, false);
            var m = fb.ReadAtLeast(y.AsSpan(0, n), n, false);
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

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
