using System.Diagnostics;

namespace Sms.Cli.Commands;

/// <summary>How the demo's source disk was made.</summary>
/// <param name="Description">For the summary.</param>
/// <param name="Ext4">Whether it holds an ext4 file system (mkfs.ext4 was there).</param>
/// <param name="Offset">Where that file system starts: after the GPT when sfdisk was there, else 0.</param>
internal sealed record DemoDisk(string Description, bool Ext4, long Offset);

/// <summary>Builds and changes the demo's source disk with the real file-system tools when they are there.</summary>
internal static class DemoImage
{
    private const long PartitionOffset = 1 << 20;

    public static async Task<DemoDisk> CreateAsync(string image, string work, int sizeMb, CancellationToken cancellationToken)
    {
        var tree = Path.Combine(work, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "etc", "netplan"));
        Directory.CreateDirectory(Path.Combine(tree, "etc", "udev", "rules.d"));
        Directory.CreateDirectory(Path.Combine(tree, "var", "data"));
        await File.WriteAllTextAsync(Path.Combine(tree, "etc", "hostname"), "demo-web01\n", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(tree, "etc", "fstab"), "# <file system> <mount point> <type> <options> <dump> <pass>\n/dev/sda1  /  ext4  defaults,errors=remount-ro  0  1\n", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(tree, "etc", "netplan", "50-cloud-init.yaml"), "network:\n  version: 2\n  ethernets:\n    eth0:\n      match:\n        macaddress: \"52:54:00:12:34:56\"\n      addresses: [192.168.10.20/24]\n      gateway4: 192.168.10.1\n", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(tree, "etc", "udev", "rules.d", "70-persistent-net.rules"), "SUBSYSTEM==\"net\", ACTION==\"add\", ATTR{address}==\"52:54:00:12:34:56\", NAME=\"eth0\"\n", cancellationToken);
        var random = new Random(42);
        for (var i = 0; i < 200; i++)
        {
            var text = string.Join('\n', Enumerable.Range(0, 200 + random.Next(2000)).Select(n => $"line {n} of file {i}: the quick brown fox"));
            await File.WriteAllTextAsync(Path.Combine(tree, "var", "data", $"log{i:D3}.txt"), text, cancellationToken);
        }

        var blob = new byte[sizeMb * 1024 * 1024 / 8];
        random.NextBytes(blob);
        await File.WriteAllBytesAsync(Path.Combine(tree, "var", "data", "random.bin"), blob, cancellationToken);
        try
        {
            await using (var file = new FileStream(image, FileMode.Create, FileAccess.Write))
            {
                file.SetLength((long)sizeMb << 20);
            }

            var partitioned = await TryRunAsync("sfdisk", ["-q", image], cancellationToken, "label: gpt\nstart=2048, type=L, name=root\n") == 0;
            var offset = partitioned ? PartitionOffset : 0;
            var fsMb = partitioned ? sizeMb - 2 : sizeMb;
            if (await TryRunAsync("mkfs.ext4", ["-q", "-F", "-d", tree, "-E", $"offset={offset}", image, $"{fsMb}M"], cancellationToken) == 0)
            {
                return new DemoDisk($"{sizeMb} MiB {(partitioned ? "GPT disk with an ext4 partition" : "ext4 disk (sfdisk not installed: no partition table)")} made by {(partitioned ? "sfdisk and " : string.Empty)}mkfs.ext4 -d, {200 + 1} files", true, offset);
            }
        }
        finally
        {
            Directory.Delete(tree, recursive: true);
        }

        // No mkfs.ext4: a sparse image with data regions, holes and zero runs.
        await using var raw = new FileStream(image, FileMode.Create, FileAccess.Write);
        raw.SetLength((long)sizeMb << 20);
        for (long at = 0; at < raw.Length; at += 8L << 20)
        {
            raw.Position = at;
            await raw.WriteAsync(blob.AsMemory(0, Math.Min(blob.Length, 2 << 20)), cancellationToken);
        }

        return new DemoDisk($"synthetic {sizeMb} MiB image (mkfs.ext4 not installed)", false, 0);
    }

    /// <summary>The file system of an image as e2fsprogs take it: the image, at the partition's offset.</summary>
    public static string Device(string image, DemoDisk disk) => disk.Offset == 0 ? image : $"{image}?offset={disk.Offset}";

    public static async Task<string> ChangeAsync(string image, string work, DemoDisk disk, CancellationToken cancellationToken)
    {
        var added = Path.Combine(work, "new.bin");
        var bytes = new byte[8 << 20];
        new Random(7).NextBytes(bytes);
        await File.WriteAllBytesAsync(added, bytes, cancellationToken);
        if (disk.Ext4
            && await TryRunAsync("debugfs", ["-w", "-R", $"write {added} /var/data/new.bin", Device(image, disk)], cancellationToken) == 0
            && await TryRunAsync("debugfs", ["-w", "-R", "rm /var/data/log007.txt", Device(image, disk)], cancellationToken) == 0)
        {
            return "8 MiB file added and a file deleted inside the ext4 file system (debugfs)";
        }

        await using var file = new FileStream(image, FileMode.Open, FileAccess.Write);
        file.Position = file.Length / 3;
        await file.WriteAsync(bytes, cancellationToken);
        return "8 MiB overwritten in the middle of the image";
    }

    /// <summary>Every file of both file systems compared (free space is not migrated, so the images differ there); for a synthetic image, the bytes of the source's length.</summary>
    public static async Task<bool> SameFilesAsync(string source, string target, string work, DemoDisk disk, CancellationToken cancellationToken)
    {
        if (!disk.Ext4)
        {
            return await SamePrefixAsync(source, target, cancellationToken);
        }

        var a = Directory.CreateDirectory(Path.Combine(work, "files-source")).FullName;
        var b = Directory.CreateDirectory(Path.Combine(work, "files-target")).FullName;
        if (await TryRunAsync("debugfs", ["-R", $"rdump / {a}", Device(source, disk)], cancellationToken) != 0
            || await TryRunAsync("debugfs", ["-R", $"rdump / {b}", Device(target, disk)], cancellationToken) != 0)
        {
            return false;
        }

        var left = Directory.GetFiles(a, "*", SearchOption.AllDirectories);
        if (left.Length == 0)
        {
            return false;
        }

        foreach (var file in left)
        {
            // The fix-ups adapt /etc to the new machine; every other file is the source's.
            if (Path.GetRelativePath(a, file).StartsWith("etc" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            var other = Path.Combine(b, Path.GetRelativePath(a, file));
            if (!File.Exists(other))
            {
                return false;
            }

            var x = await File.ReadAllBytesAsync(file, cancellationToken);
            var y = await File.ReadAllBytesAsync(other, cancellationToken);
            if (!x.AsSpan().SequenceEqual(y))
            {
                return false;
            }
        }

        return true;
    }

    public static async Task<int?> TryRunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken, string? stdin = null)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(info)!;
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken);
                process.StandardInput.Close();
            }

            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            await Task.WhenAll(stdout, stderr);
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // not installed
        }
    }

    private static async Task<bool> SamePrefixAsync(string source, string target, CancellationToken cancellationToken)
    {
        await using var a = File.OpenRead(source);
        await using var b = File.OpenRead(target);
        var x = new byte[1 << 20];
        var y = new byte[1 << 20];
        while (true)
        {
            var n = await a.ReadAtLeastAsync(x, x.Length, throwOnEndOfStream: false, cancellationToken);
            if (n == 0)
            {
                return true;
            }

            if (await b.ReadAtLeastAsync(y.AsMemory(0, n), n, throwOnEndOfStream: false, cancellationToken) != n || !x.AsSpan(0, n).SequenceEqual(y.AsSpan(0, n)))
            {
                return false;
            }
        }
    }
}
